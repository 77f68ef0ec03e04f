# fan.gp — month-by-month chart of one or more caseflow metrics: each mean as a
# line, its 95% confidence interval as a shaded band. caseflow report uses it
# for the stock fan charts, the monthly flows, timeliness, workforce and cost,
# and (one series per run folder) for a comparison's options over time.
#
# Reads a timeseries.csv written by `caseflow run` (column `date`, then for
# each metric M the columns M, M.ci95_low, M.ci95_high). By hand, e.g.:
#
#   gnuplot -e "infile='output/bridgend-2022/timeseries.csv'; outfile='la.png'; \
#               metric1='stock.looked_after'; label1='Looked after'; \
#               title='Children looked after'; ylabel='children'" scripts/fan.gp
#
# Settings (strings in single quotes; double a quote inside one: 'sy''n'):
#   infile        the CSV (or fileN per series, for comparisons)
#   outfile       .png or .svg; the extension picks the format (style.gp)
#   n             number of series (default 1); metricN, labelN for N = 1..n
#   title, ylabel, xlabel   text (default: none)
#   scale         multiplies every value (default 1; 100 turns shares into %)
#   ymin, ymax    fix the y range (default: automatic)
#   per10k        if set, a right-hand axis shows value x per10k (10000/children)
#   y2label       its label
#   bandlabel     legend text for the shaded band (default "95% confidence interval")
#   noband        1: no bands (a run of one replication has no intervals)
#   months        twelve month abbreviations (default English; "Ion Chwef ..." in Welsh)

gp_lastslash(s, i) = (i < 1) ? 0 : (s[i:i] eq "/" ? i : gp_lastslash(s, i - 1))
load ARG0[1:gp_lastslash(ARG0, strlen(ARG0))] . "style.gp"

if (!exists("n")) n = 1
if (!exists("scale")) scale = 1
if (!exists("title")) title = ""
if (!exists("ylabel")) ylabel = ""
if (!exists("xlabel")) xlabel = ""
if (!exists("bandlabel")) bandlabel = "95% confidence interval"
if (!exists("noband")) noband = 0
if (!exists("months")) months = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec"

series(i) = value(sprintf("metric%d", i))
lo(i) = series(i) . ".ci95_low"
hi(i) = series(i) . ".ci95_high"
file(i) = exists(sprintf("file%d", i)) ? value(sprintf("file%d", i)) : infile
lab(i) = value(sprintf("label%d", i))

# Time axis: a tic at each month's end (where its value is plotted), labelled
# with the month, the year under the first month and each January. Longer runs
# label every third month (Apr, Jul, Oct, Jan: the financial quarters) or every
# April. Done by hand rather than with `set format x "%b"` so Welsh months work
# whatever the machine's locale.
stats file(1) using (strptime("%Y-%m-%d", strcol(1))) nooutput
nrec = int(STATS_records)
t0 = STATS_min
y0 = int(tm_year(t0))
m0 = int(tm_mon(t0)) + 1
step = (nrec <= 15) ? 1 : ((nrec <= 48) ? 3 : 12)
set xdata time
set timefmt "%Y-%m-%d"
set xtics ()
do for [k = 0:nrec - 1] {
    m = (m0 - 1 + k) % 12 + 1
    y = y0 + (m0 - 1 + k) / 12
    if ((m - 4 + 12) % step == 0 || nrec <= 1) {
        ny = y + (m == 12)
        t = strptime("%Y-%m-%d", sprintf("%04d-%02d-01", ny, m % 12 + 1)) - 86400
        set xtics add (word(months, m) . ((k < step || m == 1) ? sprintf("\n%d", y) : "") t)
    }
}
# From the first of the first month to half a month past the last point, so
# the first and last labels fit.
set xrange [strptime("%Y-%m-%d", sprintf("%04d-%02d-01", y0, m0)) : STATS_max + 15 * 86400]

key_entries = n + (noband ? 0 : 1)
key_maxlen = noband ? 0 : strlen(bandlabel)
do for [i = 1:n] {
    if (strlen(lab(i)) > key_maxlen) { key_maxlen = strlen(lab(i)) }
}
eval key_below

set title title font titlefont
set ylabel ylabel
# An empty x label still takes a line: the dates' second line (the year)
# would otherwise run into the legend below.
set xlabel (xlabel eq "" ? " " : xlabel)
if (exists("ymin")) { set yrange [ymin:*] }
if (exists("ymax")) { set yrange [*:ymax] }
if (exists("ymin") && exists("ymax")) { set yrange [ymin:ymax] }
bands = 'for [i=1:n] file(i) using 1:(column(lo(i)) * scale):(column(hi(i)) * scale) ' . \
    'with filledcurves fs transparent solid 0.22 noborder lt i notitle, '
lines = 'for [i=1:n] file(i) using 1:(column(series(i)) * scale) with linespoints lt i pi step title lab(i)'
bandkey = ', keyentry with filledcurves fs transparent solid 0.22 noborder lc rgb "#777777" title bandlabel'
plotcmd = noband ? 'plot ' . lines : 'plot ' . bands . lines . bandkey

# A right-hand axis in rates per 10,000 children: a dry run into a table
# finds the left axis' range, which fixes the right one (gnuplot's
# `set link` would put the right-hand tics at the left-hand tics' odd values).
if (exists("per10k")) {
    set table $dryrun
    eval plotcmd
    unset table
    set y2range [GPVAL_Y_MIN * per10k : GPVAL_Y_MAX * per10k]
    set y2tics
    if (exists("y2label")) { set y2label y2label }
    set border 11 lc rgb "#444444" lw 1
}
set output outfile
eval plotcmd
unset output
