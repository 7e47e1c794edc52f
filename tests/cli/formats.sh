# Output formats and value rendering (CLI.md).
. tests/cli/lib.sh
q='print s = "a,b", n = 1, r = 2.5, d = datetime(2026-11-21T09:48:46.21Z), t = 90m, b = true, x = long(null), y = dynamic({"k":[1,"q"]}), e = ""'
expect_rc 0 "$AIQ" -o csv -q "$q"
expect_out "$(printf 's,n,r,d,t,b,x,y,e\n"a,b",1,2.5,2026-11-21T09:48:46.21Z,01:30:00,true,,"{""k"":[1,""q""]}",')"
expect_rc 0 "$AIQ" -o tsv -q "$q"
expect_out "$(printf 's\tn\tr\td\tt\tb\tx\ty\te\na,b\t1\t2.5\t2026-11-21T09:48:46.21Z\t01:30:00\ttrue\t\t{"k":[1,"q"]}\t')"
expect_rc 0 "$AIQ" -o ndjson -q "$q"
expect_out '{"s":"a,b","n":1,"r":2.5,"d":"2026-11-21T09:48:46.21Z","t":"01:30:00","b":true,"x":null,"y":{"k":[1,"q"]},"e":""}'
expect_rc 0 "$AIQ" -o json -q 'range x from 1 to 2 step 1'
expect_out '[
{"x":1},
{"x":2}
]'
expect_rc 0 "$AIQ" -o json -q 'range x from 1 to 0 step 1'
expect_out '[]'
expect_rc 0 "$AIQ" -o markdown -q 'print a = "x|y", n = 3'
expect_out '| a | n |
| --- | ---: |
| x\|y | 3 |'
expect_rc 0 "$AIQ" -o table -q 'print name = "gpu-node-01", value = 87.5'
expect_out 'name         value
-----------  -----
gpu-node-01   87.5'
expect_rc 0 "$AIQ" -o csv --no-header -q 'print a = 1'
expect_out 1
