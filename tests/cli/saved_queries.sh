# Every saved query in queries/ passes aiq check against the bundled schema.
. tests/cli/lib.sh
expect_rc 0 "$AIQ" check queries/*.kql
expect_out ""
expect_err ""
