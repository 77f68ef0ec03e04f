# annual.gp — one or more caseflow metrics by financial year (April to March):
# a bar for each mean with its 95% confidence interval as an error bar. Flows
# are totals for the year, stocks the number on 31 March.
#
# Reads an annual.csv written by `caseflow run` (columns financial_year, date,
# then for each metric M the columns M, M.ci95_low, M.ci95_high). By hand:
#
#   gnuplot -e "infile='output/bridgend-2023-2026/annual.csv'; outfile='fy.png'; \
#               n=2; metric1='stock.cp_register'; label1='CP register'; \
#               metric2='stock.looked_after'; label2='Looked after'; \
#               title='Children at 31 March'; ylabel='children'" scripts/annual.gp
#
# Settings: infile, outfile (.png or .svg), n, metricN, labelN, title, ylabel,
# xlabel, scale, per10k, y2label and noband as for fan.gp; errlabel (legend
# text for the error bars, default "95% confidence interval").

gp_lastslash(s, i) = (i < 1) ? 0 : (s[i:i] eq "/" ? i : gp_lastslash(s, i - 1))
load ARG0[1:gp_lastslash(ARG0, strlen(ARG0))] . "style.gp"

if (!exists("n")) n = 1
if (!exists("scale")) scale = 1
if (!exists("title")) title = ""
if (!exists("ylabel")) ylabel = ""
if (!exists("xlabel")) xlabel = ""
if (!exists("errlabel")) errlabel = "95% confidence interval"
if (!exists("noband")) noband = 0

series(i) = value(sprintf("metric%d", i))
lo(i) = series(i) . ".ci95_low"
hi(i) = series(i) . ".ci95_high"
lab(i) = value(sprintf("label%d", i))

set style data histograms
if (noband) {
    set style histogram clustered gap 1.5
} else {
    set style histogram errorbars gap 1.5 lw 1.5
}
set errorbars lc rgb "#000000" lw 1.5
set style fill solid 0.85 noborder
set boxwidth 0.9
set xtics scale 0
set yrange [0:*]
key_entries = n + (noband ? 0 : 1)
key_maxlen = noband ? 0 : strlen(errlabel)
do for [i = 1:n] {
    if (strlen(lab(i)) > key_maxlen) { key_maxlen = strlen(lab(i)) }
}
eval key_below
set bmargin 3.5 + 1.4 * key_rows

set title title font titlefont
set ylabel ylabel
set xlabel xlabel

plotcmd = noband ? \
    'plot for [i=1:n] infile using (column(series(i)) * scale):xtic(1) lt i lc i title lab(i)' : \
    'plot for [i=1:n] infile using (column(series(i)) * scale):(column(lo(i)) * scale):' . \
    '(column(hi(i)) * scale):xtic(1) lt i lc i title lab(i), ' . \
    'keyentry with yerrorbars lc rgb "#000000" lw 1.5 pt 0 title errlabel'

# Rates per 10,000 children on the right-hand axis (see fan.gp).
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
