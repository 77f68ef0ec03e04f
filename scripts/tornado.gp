# tornado.gp — which uncertain setting moves a measure the most: one bar per
# setting, from the measure's value with that setting at its low value to its
# value at the high value (the others as written), the largest swing on top.
# The dashed line is the baseline (every setting as written). The whisker at
# each bar's high-value end is the 95% confidence interval of the swing (the
# value at high minus at low, paired by replication), drawn from the bar's
# low-value end: with common random numbers it is far narrower than the
# intervals of the two values on their own, which tornado.csv also gives.
#
# Reads a tornado.csv written by `caseflow sweep --design oat` (columns metric,
# rank, key, value_low, value_high, baseline, at_low, at_low_ci95_low,
# at_low_ci95_high, at_high, ..., swing, ...). By hand:
#
#   gnuplot -e "infile='output/bridgend-2023-2026-sweep/tornado.csv'; \
#               outfile='tornado.png'; metric='stock.looked_after.end'; \
#               title='What moves the number looked after'; \
#               xlabel='Children looked after at the end'" scripts/tornado.gp
#
# Settings: infile, outfile (.png or .svg); metric (as in the metric column);
# title, xlabel; labellow, labelhigh (the legend's words for the two ends);
# rangeword (the word between a setting's low and high values, "to"). caseflow
# sweep --lang cy sets the words in Welsh.

gp_lastslash(s, i) = (i < 1) ? 0 : (s[i:i] eq "/" ? i : gp_lastslash(s, i - 1))
if (!exists("infile")) infile = "tornado.csv"
if (!exists("metric")) metric = "stock.looked_after.end"

# How many settings this metric has: the chart's height follows it.
set datafile separator ","
set datafile missing "NA"
set datafile columnheaders
stats infile using (strcol("metric") eq metric ? column("rank") : NaN) nooutput
n = STATS_records > 0 ? int(STATS_max) : 1
stats infile using (strcol("metric") eq metric ? column("baseline") : NaN) nooutput
base = STATS_records > 0 ? STATS_min : 0
# The ends of the bars, to tell whether any setting moves the metric at all.
stats infile using (strcol("metric") eq metric ? column("at_low") : NaN) name "ATLOW" nooutput
stats infile using (strcol("metric") eq metric ? column("at_high") : NaN) name "ATHIGH" nooutput
if (!exists("height")) height = (n <= 8) ? 600 : 300 + 40 * n

load ARG0[1:gp_lastslash(ARG0, strlen(ARG0))] . "style.gp"

if (!exists("title")) title = "What moves " . metric . " most"
if (!exists("xlabel")) xlabel = metric
if (!exists("labellow")) labellow = "setting at its low value"
if (!exists("labelhigh")) labelhigh = "setting at its high value"
if (!exists("rangeword")) rangeword = "to"

pick(c) = strcol("metric") eq metric ? column(c) : NaN
# Bar k runs from the baseline to the value at one end; rank 1 is drawn on top.
# Rows of other metrics go below the axis (NaN would upset the ytic list).
y(d) = strcol("metric") eq metric ? n - column("rank") + 1 : -column("rank")
mid(c) = (pick("baseline") + pick(c)) / 2.0
half(c) = abs(pick(c) - pick("baseline")) / 2.0
# The setting's name and its range, as the bar's label.
label(d) = strcol("key") . " (" . strcol("value_low") . " " . rangeword . " " . strcol("value_high") . ")"
# An end of the swing's interval, placed from the bar's low end; the value
# itself when the run has no interval (NA: one replication).
swing_end(c) = (ci_v = pick(c), ci_v == ci_v) ? pick("at_low") + ci_v : pick("at_high")

set yrange [0.4 : n + 0.6]
set ytics scale 0
unset grid
set grid xtics lc rgb "#dddddd" lw 1 dt 1
set border 1 lc rgb "#444444" lw 1
set style fill solid 0.75 border -1
set label 100 title at screen 0.5, screen 0.975 center front font titlefont
set tmargin (strstrt(title, "\n") > 0) ? 5 : 3.5
set xlabel xlabel
# Centred under the whole chart: the settings' names push the plot area right.
set key at screen 0.5, screen 0.015 center bottom horizontal maxrows 1 width 2
set bmargin 5.5

plotcmd = 'plot infile using (mid("at_low")):(y(0)):(half("at_low")):(0.3):ytic(label(0)) ' . \
    'with boxxyerror lt 1 dt 1 title labellow, ' . \
    '"" using (mid("at_high")):(y(0)):(half("at_high")):(0.3) with boxxyerror lt 2 dt 1 title labelhigh, ' . \
    '"" using (pick("at_high")):(y(0)):(swing_end("swing_ci95_low")):(swing_end("swing_ci95_high")) ' . \
    'with xerrorbars lt 7 dt 1 lw 1.5 ps 0 notitle'

# The baseline must be on the axis and drawn as a line: a dry run finds the
# range the bars need, which is widened a little on each side. When no
# setting moves the metric at all (every bar of zero length) the dry run
# would have an empty range to autoscale, and gnuplot warns: skip it.
if (ATLOW_min == base && ATLOW_max == base && ATHIGH_min == base && ATHIGH_max == base) {
    xlo = base; xhi = base
} else {
    set table $dryrun
    eval plotcmd
    unset table
    xlo = (GPVAL_X_MIN < base) ? GPVAL_X_MIN : base
    xhi = (GPVAL_X_MAX > base) ? GPVAL_X_MAX : base
}
if (xlo == xhi) { xlo = xlo - 1; xhi = xhi + 1 }
set xrange [xlo - 0.05 * (xhi - xlo) : xhi + 0.05 * (xhi - xlo)]
# Tics at whole multiples of a round step (1, 2 or 5 times a power of ten),
# about six of them; millions read better as 110M than as 1.1e+08.
raw = (xhi - xlo) / 6.0
mag = 10.0 ** floor(log10(raw))
step = mag * ((raw / mag <= 1) ? 1 : ((raw / mag <= 2) ? 2 : ((raw / mag <= 5) ? 5 : 10)))
set xtics step
top = (abs(xlo) > abs(xhi)) ? abs(xlo) : abs(xhi)
unit = 10.0 ** (3 * floor(log10(top) / 3))
if (top >= 1e5) { set format x (step >= unit ? "%.0s%c" : "%.1s%c") }
set arrow 1 from first base, graph 0 to first base, graph 1 nohead lc rgb "#444444" lw 1.5 dt 2 front

set output outfile
eval plotcmd
unset output
