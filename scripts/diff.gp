# diff.gp — how each option differs from the baseline on the headline
# measures: the mean paired difference as a point, its 95% confidence interval
# as a bar, both as a percentage of the baseline's mean so measures in
# different units share one axis. An interval that does not cross the dashed
# zero line is a difference larger than the variation between runs.
#
# Reads a compare.csv written by `caseflow compare` (columns metric, variant,
# baseline_mean, variant_mean, diff_mean, diff_ci95_low, diff_ci95_high, ...).
# By hand:
#
#   gnuplot -e "infile='output/options/compare.csv'; outfile='diff.png'; \
#               n=2; metric1='stock.cp_register.end'; label1='CP register'; \
#               metric2='stock.looked_after.end'; label2='Looked after'; \
#               nv=1; variant1='family-safeguarding'; \
#               title='Difference from the baseline'" scripts/diff.gp
#
# Settings: infile, outfile (.png or .svg); n, metricN, labelN (the measures,
# top to bottom); nv, variantN (the options, as named in the variant column)
# and optionally vlabelN (their legend text); title, xlabel.

if (!exists("n")) n = 1
if (!exists("nv")) nv = 1
if (!exists("height")) height = (n * nv <= 8) ? 600 : 250 + 40 * n * nv

gp_lastslash(s, i) = (i < 1) ? 0 : (s[i:i] eq "/" ? i : gp_lastslash(s, i - 1))
load ARG0[1:gp_lastslash(ARG0, strlen(ARG0))] . "style.gp"

if (!exists("title")) title = ""
if (!exists("xlabel")) xlabel = "Change from the baseline (%)"

metric(i) = value(sprintf("metric%d", i))
lab(i) = value(sprintf("label%d", i))
variant(v) = value(sprintf("variant%d", v))
vlab(v) = exists(sprintf("vlabel%d", v)) ? value(sprintf("vlabel%d", v)) : variant(v)

# Rows top to bottom: measure 1's options, a gap, measure 2's options, ...
gap = (nv > 1) ? 1 : 0
row(i, v) = (n - i) * (nv + gap) + (nv - v) + 1
pick(i, v) = strcol("metric") eq metric(i) && strcol("variant") eq variant(v)
pct(c) = 100.0 * column(c) / column("baseline_mean")
# An end of the interval, or the mean itself when the run has no interval (NA).
ci(c) = (ci_v = pct(c), ci_v == ci_v) ? ci_v : pct("diff_mean")

set yrange [0.4 : n * (nv + gap) - gap + 0.6]
set ytics scale 0 ()
do for [i = 1:n] {
    set ytics add (lab(i) row(i, nv) + (nv - 1) / 2.0)
}
unset grid
set grid xtics lc rgb "#dddddd" lw 1 dt 1
set border 1 lc rgb "#444444" lw 1
set arrow 1 from first 0, graph 0 to first 0, graph 1 nohead lc rgb "#444444" lw 1.5 dt 2 back
# The title is centred on the whole chart, not on the plot area, which the
# measures' names push to the right.
set label 100 title at screen 0.5, screen 0.975 center front font titlefont
set tmargin (strstrt(title, "\n") > 0) ? 5 : 3.5
set xlabel xlabel
key_entries = nv
key_maxlen = 0
do for [v = 1:nv] {
    if (strlen(vlab(v)) > key_maxlen) { key_maxlen = strlen(vlab(v)) }
}
eval key_below
set bmargin 3.5 + 1.4 * key_rows

# Each plot element k draws measure k / nv + 1 for option k % nv + 1; every
# other row is NaN in all four columns, so it neither draws nor widens the axis.
on(k, c) = pick(k / nv + 1, k % nv + 1) ? c : NaN
plotcmd = 'plot for [k = 0:n * nv - 1] infile ' . \
    'using (on(k, pct("diff_mean"))):(row(k / nv + 1, k % nv + 1)):' . \
    '(on(k, ci("diff_ci95_low"))):(on(k, ci("diff_ci95_high"))) ' . \
    'with xerrorbars lt (k % nv + 1) dt 1 lw 2 ps 1.6 title ((k < nv) ? vlab(k % nv + 1) : "")'

# Zero must be on the axis, however one-sided the differences: a dry run into
# a table finds the range the data need, which is then widened to take in 0.
set table $dryrun
eval plotcmd
unset table
xlo = (GPVAL_X_MIN < 0) ? GPVAL_X_MIN : 0
xhi = (GPVAL_X_MAX > 0) ? GPVAL_X_MAX : 0
if (xlo == xhi) { xlo = -1; xhi = 1 }
xmin = xlo - 0.05 * (xhi - xlo)
xmax = xhi + 0.05 * (xhi - xlo)
set xrange [xmin : xmax]
# Tics at whole multiples of a round step (1, 2 or 5 times a power of ten),
# so the zero line is labelled "0" and never "-0".
raw = (xhi - xlo) / 8.0
mag = 10.0 ** floor(log10(raw))
step = mag * ((raw / mag <= 1) ? 1 : ((raw / mag <= 2) ? 2 : ((raw / mag <= 5) ? 5 : 10)))
ticfmt = (step >= 1) ? "%.0f" : ((step >= 0.1) ? "%.1f" : "%.2f")
set xtics ()
do for [i = ceil(xmin / step) : floor(xmax / step)] {
    set xtics add (sprintf(ticfmt, i * step) i * step)
}

set output outfile
eval plotcmd
unset output
