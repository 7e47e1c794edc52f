# function_columns.sh -- the result columns (names and types) of the built-ins of
# issue 14, against what Microsoft's analyzer infers for the same queries
# (kqlcheck --columns, recorded below; aiq holds a guid as a string, so Kusto's
# guid columns are written as string ones). Each pair of lines is a query's tail
# after the table T and the columns Kusto gives.
. tests/cli/lib.sh
prefix='let T = datatable(x:long, s:string, d:dynamic, t:datetime, r:real, ts:timespan, i:int, b:bool) [1, "a", dynamic({}), datetime(2020-01-01), 1.5, 1h, 2, true]; T | '
n=0
while IFS= read -r tail && IFS= read -r want; do
  n=$((n + 1))
  printf '%s%s\n' "$prefix" "$tail" > "$T/q$n.kql"
  "$AIQ" check --explain "$T/q$n.kql" > "$T/out" 2> "$T/err" || die "query $n does not bind: $tail :: $(cat "$T/err")"
  got=$(sed -n 's/^.*: columns: //p' "$T/out")
  [ "$got" = "$want" ] || die "columns of query $n ($tail):
  got:  $got
  want: $want"
done <<'EOF'
extend string_size(s), strcmp(s, s), isascii(s), isutf8(s), translate("a", "b", s), regex_quote(s), replace_strings(s, d, d)
x:long, s:string, d:dynamic, t:datetime, r:real, ts:timespan, i:int, b:bool, string_size_s:long, Column1:long, Column2:bool, Column3:bool, Column4:string, Column5:string, Column6:string
extend indexof_regex(s, "a"), has_any_index(s, d), strcat_array(d, s), unicode_codepoints_from_string(s), to_utf8(s), unicode_codepoints_to_string(x), make_string(x)
x:long, s:string, d:dynamic, t:datetime, r:real, ts:timespan, i:int, b:bool, Column1:long, Column2:long, Column3:string, Column4:dynamic, Column5:dynamic, Column6:string, Column7:string
extend url_encode(s), url_encode_component(s), url_decode(s), base64_encode_tostring(s), base64_encodestring(s), base64_decode_tostring(s), base64_decodestring(s)
x:long, s:string, d:dynamic, t:datetime, r:real, ts:timespan, i:int, b:bool, Column1:string, Column2:string, Column3:string, Column4:string, Column5:string, Column6:string, Column7:string
extend base64_decode_toarray(s), base64_encode_fromarray(d), base64_decode_toguid(s), toguid(s), new_guid(), punycode_from_string(s), punycode_to_string(s)
x:long, s:string, d:dynamic, t:datetime, r:real, ts:timespan, i:int, b:bool, Column1:dynamic, Column2:string, Column3:string, Column4:string, Column5:string, Column6:string
extend punycode_domain_to_string(s), punycode_domain_from_string(s), zlib_compress_to_base64_string(s), zlib_decompress_from_base64_string(s), gzip_compress_to_base64_string(s), gzip_decompress_from_base64_string(s)
x:long, s:string, d:dynamic, t:datetime, r:real, ts:timespan, i:int, b:bool, Column1:string, Column2:string, Column3:string, Column4:string, Column5:string, Column6:string
extend ipv4_is_private(s), ipv4_is_in_range(s, s), ipv4_is_in_any_range(s, s, s), ipv4_is_match(s, s), ipv4_compare(s, s, x), ipv4_netmask_suffix(s), parse_ipv4(s), parse_ipv4_mask(s, x)
x:long, s:string, d:dynamic, t:datetime, r:real, ts:timespan, i:int, b:bool, Column1:bool, Column2:bool, Column3:bool, Column4:bool, Column5:long, Column6:long, Column7:long, Column8:long
extend format_ipv4(s), format_ipv4(x, x), format_ipv4_mask(s, x), ipv4_range_to_cidr_list(s, s), has_ipv4(s, s), has_ipv4_prefix(s, s), has_any_ipv4(s, s), has_any_ipv4_prefix(s, d)
x:long, s:string, d:dynamic, t:datetime, r:real, ts:timespan, i:int, b:bool, Column1:string, Column2:string, Column3:string, Column4:dynamic, Column5:bool, Column6:bool, Column7:bool, Column8:bool
extend ipv6_compare(s, s), ipv6_is_match(s, s, x), ipv6_is_in_range(s, s), ipv6_is_in_any_range(s, d), parse_ipv6(s), parse_ipv6_mask(s, x)
x:long, s:string, d:dynamic, t:datetime, r:real, ts:timespan, i:int, b:bool, Column1:long, Column2:bool, Column3:bool, Column4:bool, Column5:string, Column6:string
extend hash(s), hash(x, 10), hash_xxhash64(s), hash_md5(s), hash_sha1(t), hash_sha256(b)
x:long, s:string, d:dynamic, t:datetime, r:real, ts:timespan, i:int, b:bool, Column1:long, Column2:long, Column3:long, Column4:string, Column5:string, Column6:string
extend bag_pack("a", x), pack("a", s), pack_dictionary("a", d), pack_all(), bag_pack_columns(x, s), pack_array(x, s), bag_has_key(d, "a"), bag_merge(d, d)
x:long, s:string, d:dynamic, t:datetime, r:real, ts:timespan, i:int, b:bool, Column1:dynamic, Column2:dynamic, Column3:dynamic, Column4:dynamic, Column5:dynamic, Column6:dynamic, Column7:bool, Column8:dynamic
extend bag_remove_keys(d, d), bag_set_key(d, "a", x), bag_zip(d, d), repeat(x, 2), zip(d, d), set_union(d, d), set_intersect(d, d), set_difference(d, d), set_has_element(d, x)
x:long, s:string, d:dynamic, t:datetime, r:real, ts:timespan, i:int, b:bool, Column1:dynamic, Column2:dynamic, Column3:dynamic, repeat_x:dynamic, Column4:dynamic, Column5:dynamic, Column6:dynamic, Column7:dynamic, Column8:bool
extend jaccard_index(d, d), gettype(x), dynamic_to_json(d), treepath(d), estimate_data_size(x, s), column_ifexists("x", 0), columnifexists("zz", s), toobject(s)
x:long, s:dynamic, d:dynamic, t:datetime, r:real, ts:timespan, i:int, b:bool, Column1:dynamic, type_x:string, Column2:string, tree_d:dynamic, Column3:long, Column4:string
extend sin(r), cos(r), tan(r), asin(r), acos(r), atan(r), atan2(r, r), cot(r), degrees(r), radians(r), gamma(r), loggamma(r), erf(r), erfc(r), exp10(r)
x:long, s:string, d:dynamic, t:datetime, r:real, ts:timespan, i:int, b:bool, Column1:real, Column2:real, Column3:real
extend pi(), sign(r), rand(), rand(i), max_of(x, x), min_of(r, x), max_of(s, s), around(r, r, r), binary_and(x, x), binary_or(x, x), binary_xor(x, x), binary_not(x)
x:long, s:string, d:dynamic, t:datetime, r:real, ts:timespan, i:real, b:bool, Column1:real, Column2:real, Column3:real, Column4:long, Column5:real, Column6:string, Column7:bool
extend binary_shift_left(x, x), binary_shift_right(x, x), bitset_count_ones(x), beta_cdf(r, r, r), beta_pdf(r, r, r), beta_inv(r, r, r)
x:long, s:string, d:dynamic, t:datetime, r:real, ts:timespan, i:int, b:bool, Column1:real, Column2:real, Column3:real
extend endofyear(t), datetime_part("year", t), datepart("day", t), week_of_year(t), weekofyear(t), make_datetime(x, x, x), make_datetime(x, x, x, x, x, r), make_timespan(x, x), make_timespan(x, x, x, x)
x:long, s:string, d:dynamic, t:datetime, r:real, ts:timespan, i:int, b:bool, Column1:datetime, Column2:int, Column3:int, Column4:int, Column5:int, Column6:datetime, Column7:datetime, Column8:timespan, Column9:timespan
extend format_timespan(ts, "hh"), unixtime_microseconds_todatetime(x), unixtime_nanoseconds_todatetime(x), datetime_utc_to_local(t, "UTC"), datetime_local_to_utc(t, s), datetime_list_timezones(), ingestion_time()
x:long, s:string, d:dynamic, t:datetime, r:real, ts:string, i:int, b:bool, Column1:datetime, Column2:datetime, Column3:datetime, Column4:datetime, Column5:dynamic, $IngestionTime:datetime
extend parse_path(s), parse_command_line(s, "windows"), parse_csv(s), parse_urlquery(s), parseurlquery(s), parse_user_agent(s, "browser"), parse_user_agent(s, d)
x:long, s:dynamic, d:dynamic, t:datetime, r:real, ts:timespan, i:int, b:bool, Column1:dynamic, Column2:dynamic, Column3:dynamic, Column4:dynamic, Column5:dynamic, Column6:dynamic
extend extract_json("$.a", s), extract_json("$.a", s, typeof(long)), extractjson("$.a", s), format_bytes(x) | extend format_bytes(r, 1) | extend format_bytes(i, 1, "MB")
x:string, s:string, d:dynamic, t:datetime, r:string, ts:timespan, i:string, b:bool, Column1:string, Column2:long, Column3:string
extend dcount_hll(d), hll_merge(d, d), merge_tdigest(d, d), percentile_tdigest(d, 50), percentile_tdigest(d, 50, typeof(long)), percentiles_array_tdigest(d, 50, 90), rank_tdigest(d, x), percentrank_tdigest(d, r)
x:long, s:string, d:dynamic, t:datetime, r:real, ts:timespan, i:int, b:bool, dcount_hll_d:long, hll_merged_result:dynamic, tdigests_merge_result:dynamic, percentile_tdigest_d:dynamic, Column1:real, Column2:real
summarize make_list_if(x, b), make_set_if(s, b, 5), make_list_with_nulls(x), make_bag(d), make_bag_if(d, b), make_dictionary(d), take_anyif(s, b), anyif(s, b)
list_x:dynamic, set_s:dynamic, list_x1:dynamic, bag_d:dynamic, bag_d1:dynamic, dictionary_d:dynamic, s:string, anyif_s:string
summarize count_distinct(s), count_distinctif(s, b), percentiles_array(r, 50, 90), percentilew(x, x, 50), percentilesw(r, x, 50, 99.9), percentilesw_array(r, x, 50)
count_distinct_s:long, count_distinctif_s:long, percentiles_r:dynamic, percentile_x_50:long, percentile_r_50:real, percentile_r_99_9:real, percentiles_r1:dynamic
summarize stdevp(r), variancep(x), variancepif(r, b), covariance(x, r), covarianceif(x, r, b), covariancep(r, r), covariancepif(r, x, b)
stdevp_r:real, variancep_x:real, variancepif_r:real, covariance_x:real, covarianceif_x:real, covariancep_r:real, covariancepif_r:real
summarize binary_all_and(x), binary_all_or(x), binary_all_xor(x), buildschema(d), hll(x), hll_if(s, b), tdigest(r), tdigest(x, x)
x:long, x1:long, x2:long, schema_d:dynamic, hll_x:dynamic, hll_if_s:dynamic, tdigest_r:dynamic, tdigest_x:dynamic
summarize h = hll(x), t = tdigest(r) | summarize hll_merge(h), tdigest_merge(t), merge_tdigest(t)
hll_merge_h:dynamic, merge_tdigests_t:dynamic, merge_tdigests_t1:dynamic
EOF
[ "$n" -eq 25 ] || die "read $n queries, want 25"
exit 0
