# Every saved query in queries/ passes aiq check against the bundled sample's schema.
. tests/cli/lib.sh
expect_rc 0 "$AIQ" check -d testdata queries/*.kql
expect_out ""
expect_err ""
