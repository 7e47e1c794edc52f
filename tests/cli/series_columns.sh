# series_columns.sh -- the result columns of make-series and of the series and
# array functions (issue 15), as Kusto's analyzer names and types them: each
# query below was checked with `kqlcheck --schema --columns` and the C line is
# its answer. One difference is deliberate: kqlcheck types percentile() in
# make-series as real, where Kusto's engine gives an array like every other
# make-series aggregate (its make-series page); aiq says dynamic.
# Also: a function of several columns anywhere but alone in extend/project is
# an error, as in Kusto.
. tests/cli/lib.sh
printf '.create table T (t:datetime, v:real, k:string, n:long)\n' > "$T/schema.kql"
n=0
while IFS= read -r line; do
  case $line in
  "Q "*) n=$((n + 1)); printf '%s\n' "${line#Q }" > "$T/q$n.kql" ;;
  "C "*) printf 'q%s.kql: columns: %s\n' "$n" "${line#C }" >> "$T/want" ;;
  esac
done <<'CASES'
Q T | make-series x=avg(v) on t step 1d | extend series_stats(x), (a, b) = series_fit_line(x)
C x:dynamic, t:dynamic, series_stats_x_min:real, series_stats_x_min_idx:long, series_stats_x_max:real, series_stats_x_max_idx:long, series_stats_x_avg:real, series_stats_x_stdev:real, series_stats_x_variance:real, a:real, b:real, series_fit_line_x_variance:real, series_fit_line_x_rvariance:real, series_fit_line_x_interception:real, series_fit_line_x_line_fit:dynamic
Q T | make-series x=avg(v) on t step 1d | extend series_fit_line(x), series_decompose_anomalies(x), series_stats_dynamic(x), series_periods_detect(x, 0.0, 10.0, 2)
C x:dynamic, t:dynamic, series_fit_line_x_rsquare:real, series_fit_line_x_slope:real, series_fit_line_x_variance:real, series_fit_line_x_rvariance:real, series_fit_line_x_interception:real, series_fit_line_x_line_fit:dynamic, series_decompose_anomalies_x_ad_flag:dynamic, series_decompose_anomalies_x_ad_score:dynamic, series_decompose_anomalies_x_baseline:dynamic, Column1:dynamic, series_periods_detect_x_periods:dynamic, series_periods_detect_x_scores:dynamic
Q print series_fit_line(dynamic([1,2,3]))
C series_fit_line__rsquare:real, series_fit_line__slope:real, series_fit_line__variance:real, series_fit_line__rvariance:real, series_fit_line__interception:real, series_fit_line__line_fit:dynamic
Q T | make-series x=avg(v) on t step 1d | extend s = series_fit_line(x)
C x:dynamic, t:dynamic, s:real, series_fit_line_x_slope:real, series_fit_line_x_variance:real, series_fit_line_x_rvariance:real, series_fit_line_x_interception:real, series_fit_line_x_line_fit:dynamic
Q T | make-series x=avg(v) on t step 1d | project series_stats(x), k2=1
C series_stats_x_min:real, series_stats_x_min_idx:long, series_stats_x_max:real, series_stats_x_max_idx:long, series_stats_x_avg:real, series_stats_x_stdev:real, series_stats_x_variance:real, k2:long
Q T | make-series x=avg(v) on t step 1d | extend series_stats(series_add(x, 1))
C x:dynamic, t:dynamic, series_stats__min:real, series_stats__min_idx:long, series_stats__max:real, series_stats__max_idx:long, series_stats__avg:real, series_stats__stdev:real, series_stats__variance:real
Q T | make-series x=avg(v) on t step 1d | extend (a, b, c) = series_decompose(x)
C x:dynamic, t:dynamic, a:dynamic, b:dynamic, c:dynamic, series_decompose_x_residual:dynamic
Q T | make-series x=avg(v) on t step 1d | extend series_decompose(x), series_fit_2lines(x)
C x:dynamic, t:dynamic, series_decompose_x_baseline:dynamic, series_decompose_x_seasonal:dynamic, series_decompose_x_trend:dynamic, series_decompose_x_residual:dynamic, series_fit_2lines_x_rsquare:real, series_fit_2lines_x_split_idx:long, series_fit_2lines_x_variance:real, series_fit_2lines_x_rvariance:real, series_fit_2lines_x_line_fit:dynamic, series_fit_2lines_x_right_rsquare:real, series_fit_2lines_x_right_slope:real, series_fit_2lines_x_right_interception:real, series_fit_2lines_x_right_variance:real, series_fit_2lines_x_right_rvariance:real, series_fit_2lines_x_left_rsquare:real, series_fit_2lines_x_left_slope:real, series_fit_2lines_x_left_interception:real, series_fit_2lines_x_left_variance:real, series_fit_2lines_x_left_rvariance:real
Q T | make-series x=avg(v) on t step 1d | extend series_outliers(x), series_fill_linear(x), series_decompose_forecast(x, 5)
C x:dynamic, t:dynamic, series_decompose_forecast_x_baseline:dynamic, series_decompose_forecast_x_seasonal:dynamic, series_decompose_forecast_x_trend:dynamic, series_decompose_forecast_x_residual:dynamic
Q T | make-series x=avg(v) on t step 1d | extend series_fit_poly(x), series_fit_line_dynamic(x), series_fit_2lines_dynamic(x)
C x:dynamic, t:dynamic, series_fit_poly_x_rsquare:real, series_fit_poly_x_coefficients:dynamic, series_fit_poly_x_variance:real, series_fit_poly_x_rvariance:real, series_fit_poly_x_poly_fit:dynamic, Column1:dynamic, Column2:dynamic
Q T | make-series x=avg(v), y=count() on t step 1d | extend series_pearson_correlation(x, y), series_periods_validate(x, 4.0), series_seasonal(x), series_fir(x, dynamic([1,1])), series_iir(x, dynamic([1]), dynamic([1,0.5]))
C x:dynamic, y:dynamic, t:dynamic, Column1:real, series_periods_validate_x_periods:dynamic, series_periods_validate_x_scores:dynamic, Column2:dynamic
Q T | make-series x=avg(v) on t in range(datetime(2020-01-01), datetime(2020-02-01), 1d) by k
C k:string, x:dynamic, t:dynamic
Q T | make-series kind=nonempty x=avg(v) on t from datetime(2020-01-01) step 1d
C x:dynamic, t:dynamic
Q T | make-series sum(n), count() on n step 10
C sum_n:dynamic, count_:dynamic, n:dynamic
Q T | make-series x=avg(v) on t step 1d | extend (a, b) = series_stats(x)
C x:dynamic, t:dynamic, a:real, b:long, series_stats_x_max:real, series_stats_x_max_idx:long, series_stats_x_avg:real, series_stats_x_stdev:real, series_stats_x_variance:real
Q T | make-series x=avg(v) on t step 1d | project series_outliers(x), series_fill_linear(x), series_fir(x, dynamic([1,1])), series_iir(x, dynamic([1]), dynamic([1,0.5])), series_add(x, 1), series_abs(x), series_fill_forward(x), series_seasonal(x), series_decompose_forecast(x, 5)
C x:dynamic, x1:dynamic, x2:dynamic, x3:dynamic, Column1:dynamic, Column2:dynamic, x4:dynamic, Column3:dynamic, series_decompose_forecast_x_baseline:dynamic, series_decompose_forecast_x_seasonal:dynamic, series_decompose_forecast_x_trend:dynamic, series_decompose_forecast_x_residual:dynamic
Q T | make-series x=avg(v) on t step 1d | project series_greater(x, 1), series_multiply(x, x), series_pow(x, 2), series_sign(x), series_exp(x), series_log(x), series_subtract(x, 1), series_divide(x, 2), series_equals(x, 1), series_less(x, 1), series_fill_const(x, 0), series_fill_backward(x)
C Column1:dynamic, Column2:dynamic, Column3:dynamic, Column4:dynamic, Column5:dynamic, Column6:dynamic, Column7:dynamic, Column8:dynamic, Column9:dynamic, Column10:dynamic, x:dynamic, x1:dynamic
Q T | make-series x=avg(v) on t step 1d | project array_slice(x, 0, 1), array_concat(x, x), array_sum(x), array_iff(x, x, x), array_iif(x, x, x), range(1, 5), array_index_of(x, 1), array_sort_asc(x), array_sort_desc(x), array_reverse(x), array_rotate_left(x, 1), array_rotate_right(x, 1), array_shift_left(x, 1), array_shift_right(x, 1), array_split(x, 1), array_length(x)
C Column1:dynamic, Column2:dynamic, Column3:real, Column4:dynamic, Column5:dynamic, Column6:dynamic, Column7:long, x_sorted:dynamic, x_sorted1:dynamic, Column8:dynamic, Column9:dynamic, Column10:dynamic, Column11:dynamic, Column12:dynamic, Column13:dynamic, Column14:long
Q T | make-series x=avg(v) on t step 1d | project series_sum(x), series_product(x), series_magnitude(x), series_dot_product(x, x), series_cosine_similarity(x, x), series_periods_detect(x, 0.0, 10.0, 2), series_decompose_anomalies(x, 1.5, -1, 'linefit'), series_stats_dynamic(x), series_fit_line_dynamic(x)
C Column1:real, Column2:real, Column3:real, Column4:real, Column5:real, series_periods_detect_x_periods:dynamic, series_periods_detect_x_scores:dynamic, series_decompose_anomalies_x_ad_flag:dynamic, series_decompose_anomalies_x_ad_score:dynamic, series_decompose_anomalies_x_baseline:dynamic, Column6:dynamic, Column7:dynamic
Q T | make-series x=avg(v) on t step 1d | project series_acos(x), series_asin(x), series_atan(x), series_ceiling(x), series_floor(x), series_cos(x), series_sin(x), series_tan(x), series_not_equals(x,1), series_greater_equals(x, 1), series_less_equals(x, 1)
C Column1:dynamic, Column2:dynamic, Column3:dynamic, Column4:dynamic, Column5:dynamic, Column6:dynamic, Column7:dynamic, Column8:dynamic, Column9:dynamic, Column10:dynamic, Column11:dynamic
Q T | make-series x=avg(v) on t step 1d | extend (f, s, b) = series_decompose_anomalies(x) | project f, s, b
C f:dynamic, s:dynamic, b:dynamic
Q T | make-series x=avg(v) on t step 1d | extend y = series_stats_dynamic(x).avg
C x:dynamic, t:dynamic, y:dynamic
Q T | make-series x=avg(v) default=real(null) on t step 1d | mv-expand x to typeof(real), t to typeof(datetime)
C x:real, t:datetime
Q T | make-series x=avg(v) on t from datetime(2020-01-01) to datetime(2020-02-01) step 1d by k, n2 = n % 2
C k:string, n2:long, x:dynamic, t:dynamic
Q T | make-series x=avg(v), percentile(v, 50), stdev(v), variance(v), min(v), sumif(v, v>1), countif(v>1), avgif(v, v>1), dcount(k), minif(v, v > 1), maxif(v, v>1) on t step 1d
C x:dynamic, percentile_v_50:dynamic, stdev_v:dynamic, variance_v:dynamic, min_v:dynamic, sumif_v:dynamic, countif_:dynamic, avgif_v:dynamic, dcount_k:dynamic, minif_v:dynamic, maxif_v:dynamic, t:dynamic
Q T | make-series x=avg(v) on t step 1d | extend series_stats(x, true)
C x:dynamic, t:dynamic, series_stats_x_min:real, series_stats_x_min_idx:long, series_stats_x_max:real, series_stats_x_max_idx:long, series_stats_x_avg:real, series_stats_x_stdev:real, series_stats_x_variance:real
Q T | make-series avg(v) on bin(t, 1h) step 1d
C avg_v:dynamic, t:dynamic
Q T | make-series avg(v) on t step 1h | project avg_v, t
C avg_v:dynamic, t:dynamic
Q T | make-series x=avg(v) on t step 1d | extend s=series_stats(x)
C x:dynamic, t:dynamic, s:real, series_stats_x_min_idx:long, series_stats_x_max:real, series_stats_x_max_idx:long, series_stats_x_avg:real, series_stats_x_stdev:real, series_stats_x_variance:real
Q T | make-series x=avg(v) on tt=t step 1d
C x:dynamic, tt:dynamic
Q T | make-series x=avg(v) on t step 1d | extend series_stats(x), series_stats(x)
C x:dynamic, t:dynamic, series_stats_x_min:real, series_stats_x_min_idx:long, series_stats_x_max:real, series_stats_x_max_idx:long, series_stats_x_avg:real, series_stats_x_stdev:real, series_stats_x_variance:real, series_stats_x_min1:real, series_stats_x_min_idx1:long, series_stats_x_max1:real, series_stats_x_max_idx1:long, series_stats_x_avg1:real, series_stats_x_stdev1:real, series_stats_x_variance1:real
Q T | make-series max(t) on t step 1d
C max_t:dynamic, t:dynamic
Q T | make-series count() on t step 1d by bin(n, 5)
C n:long, count_:dynamic, t:dynamic
Q T | make-series avg(v) + 1 on t step 1d
C Column1:dynamic, t:dynamic
Q T | make-series x=1 on t step 1d
C x:dynamic, t:dynamic
Q T | make-series x=avg(v), y=avg(n) on t step 1d | project array_sort_asc(x, y), array_sort_desc(x, y, false)
C x_sorted:dynamic, y_sorted:dynamic, x_sorted1:dynamic, y_sorted1:dynamic
Q T | summarize make_list(v), make_list(n) by k | project k, sorted = array_sort_asc(list_v, list_n)[1]
C k:string, sorted:dynamic
Q T | make-series x=avg(v) on t step 1d | extend (a, b) = array_sort_asc(x, x)
C x:dynamic, t:dynamic, a:dynamic, b:dynamic
Q T | make-series Total = count(), Ok = countif(n > 0) default = 0 on t from startofday(ago(7d)) to now() step 1h by k | extend Ratio = series_divide(Ok, Total) | extend BadHours = array_length(array_iff(series_less(Ratio, 0.999), Ratio, dynamic(null)))
C k:string, Total:dynamic, Ok:dynamic, t:dynamic, Ratio:dynamic, BadHours:long
Q T | make-series MemMB = avg(v) on t step 15m by k | extend (RSquare, Slope, Variance, RVariance, Interception, LineFit) = series_fit_line(MemMB) | where Slope > 10 | project k, Slope, RSquare
C k:string, Slope:real, RSquare:real
Q T | make-series AvgCPU = avg(v) default = 0 on t from ago(7d) to now() step 1h by k | extend (Anomalies, Score, Baseline) = series_decompose_anomalies(AvgCPU, 2.5) | mv-expand t to typeof(datetime), AvgCPU to typeof(real), Anomalies to typeof(int) | where Anomalies != 0
C k:string, AvgCPU:real, t:datetime, Anomalies:int, Score:dynamic, Baseline:dynamic
Q print r = range(1, 8, 3), d = range(datetime(2007-01-01), datetime(2007-12-31), 1d), range(1h, 5h)
C r:dynamic, d:dynamic, print_2:dynamic
CASES
(cd "$T" && "$OLDPWD/$AIQ" check --schema schema.kql --explain $(ls q*.kql | sort -V)) > "$T/got" 2> "$T/err" ||
  die "aiq check failed: $(head -5 "$T/err")"
diff "$T/want" "$T/got" > "$T/diff" || die "result columns differ from Kusto's:
$(cat "$T/diff")"

# functions of several columns inside an expression
printf 'T | extend y = series_fit_line(dynamic([1, 2])).slope\n' > "$T/e1.kql"
expect_rc 1 "$AIQ" check --schema "$T/schema.kql" "$T/e1.kql"
err_has "series_fit_line() gives several columns (rsquare, slope, ...): use it alone as an extend or project item, as in 'extend (rsquare, slope) = series_fit_line(...)', or series_fit_line_dynamic() for one bag"
printf 'T | where series_decompose_anomalies(dynamic([1, 2])) == 1\n' > "$T/e2.kql"
expect_rc 1 "$AIQ" check --schema "$T/schema.kql" "$T/e2.kql"
err_has "series_decompose_anomalies() gives several columns (ad_flag, ad_score, ...)"
printf 'T | extend (a, b) = strlen(k)\n' > "$T/e3.kql"
expect_rc 1 "$AIQ" check --schema "$T/schema.kql" "$T/e3.kql"
err_has "1:12: error: '(a, ...) =' names the columns of a function that gives several, such as series_fit_line() or series_decompose_anomalies(); this expression gives one"
printf 'T | extend (a, b, c) = series_periods_detect(dynamic([1]), 0.0, 1.0, 1)\n' > "$T/e4.kql"
expect_rc 1 "$AIQ" check --schema "$T/schema.kql" "$T/e4.kql"
err_has "series_periods_detect() gives 2 columns; 3 names were given"

# arguments the functions reject, at run time, at the call
expect_rc 1 "$AIQ" -q "print series_decompose(dynamic([1, 2, 3]), -1, 'lin')"
err_has "series_decompose(): the trend is 'avg', 'linefit' or 'none', not 'lin'"
expect_rc 1 "$AIQ" -q "print series_outliers(dynamic([1, 2, 3]), 'tukey2')"
err_has "series_outliers(): the kind is 'tukey' or 'ctukey'"
expect_rc 1 "$AIQ" -q "print series_iir(dynamic([1, 2, 3]), dynamic([1]), dynamic([0, 1]))"
err_has "series_iir():"
# --explain names make-series' internal bin column by number, as columns()
# does, never by its raw internal name (a control character on the screen)
expect_rc 0 "$AIQ" -d testdata --explain -q 'AppRequests | make-series n=count() on TimeGenerated step 1h by AppRoleName'
! LC_ALL=C grep -q "$(printf '[\001-\010\016-\037]')" "$T/out" || die "a control character in --explain: $(cat -v "$T/out")"
grep -q '#[0-9]*=bin(TimeGenerated, ' "$T/out" || die "--explain lacks the binned axis: $(cat "$T/out")"
exit 0
