# Deep nesting is an error with a location, never a stack overflow.
. tests/cli/lib.sh
i=0; q='print x = '; while [ $i -lt 5000 ]; do q="$q("; i=$((i+1)); done
printf '%s1\n' "$q" > "$T/q.kql"
expect_rc 1 "$AIQ" check --syntax "$T/q.kql"
err_has "query too deep (limit 200): nested more than 200 levels"
i=0; q='print x = 1'; while [ $i -lt 5000 ]; do q="$q + 1"; i=$((i+1)); done
printf '%s\n' "$q" > "$T/long.kql"
expect_rc 0 "$AIQ" check --syntax "$T/long.kql"
i=0; q='print x = '; while [ $i -lt 5000 ]; do q="$q-"; i=$((i+1)); done
printf '%s1\n' "$q" > "$T/neg.kql"
expect_rc 1 "$AIQ" check --syntax "$T/neg.kql"
err_has "query too deep (limit 200)"
