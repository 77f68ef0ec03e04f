# style.gp — the look every caseflow chart shares; loaded by the chart scripts
# (fan.gp, annual.gp, diff.gp), never run on its own.
#
# Sets the terminal from outfile's extension (.svg: SVG for the web; anything
# else: PNG for Word, through cairo when this gnuplot has it, else libgd),
# the Okabe-Ito palette (distinguishable with the common forms of colour
# blindness), dash patterns so the series also survive printing in grey, and
# a quiet grid. Optional settings: width, height (pixels; default 1000 x 600).

if (!exists("outfile")) outfile = "chart.png"
if (!exists("width")) width = 1000
if (!exists("height")) height = 600

if (strlen(outfile) > 4 && outfile[strlen(outfile) - 3:] eq ".svg") {
    set terminal svg size width, height font "Arial,15" background rgb "white"
    titlefont = "Arial,19"
} else {
    if (strstrt(GPVAL_TERMINALS, " pngcairo ") > 0) {
        set terminal pngcairo size width, height font "Liberation Sans,13" background rgb "white"
        titlefont = "Liberation Sans,17"
    } else {
        set terminal png size width, height font "Liberation Sans,13" background rgb "white"
        titlefont = "Liberation Sans,17"
    }
}

set encoding utf8

# Okabe & Ito (2008): blue, vermillion, bluish green, orange, reddish purple,
# sky blue, black; yellow last (too pale for lines on white).
set linetype 1 lc rgb "#0072B2" lw 2.5 dt 1 pt 7 ps 1.2
set linetype 2 lc rgb "#D55E00" lw 2.5 dt 2 pt 5 ps 1.2
set linetype 3 lc rgb "#009E73" lw 2.5 dt 4 pt 9 ps 1.4
set linetype 4 lc rgb "#E69F00" lw 2.5 dt 5 pt 13 ps 1.4
set linetype 5 lc rgb "#CC79A7" lw 2.5 dt 3 pt 11 ps 1.4
set linetype 6 lc rgb "#56B4E9" lw 2.5 dt 1 pt 7 ps 1.2
set linetype 7 lc rgb "#000000" lw 2.5 dt 2 pt 5 ps 1.2
set linetype 8 lc rgb "#F0E442" lw 2.5 dt 4 pt 9 ps 1.4
set linetype cycle 8

set border 3 lc rgb "#444444" lw 1
set tics nomirror out scale 0.6
set format y "%.10g"
set format y2 "%.10g"
set grid ytics lc rgb "#dddddd" lw 1 dt 1
set title offset 0, 0.5
set key below left horizontal Left reverse samplen 3 spacing 1.2

# The legend goes under the chart, in as many columns as its longest entry
# allows (about 120 characters across), with the bottom margin made to fit it
# and two lines of dates. Set key_entries and key_maxlen, then `eval key_below`.
key_below = "key_cols = int(120 / (key_maxlen + 8)); " . \
    "key_cols = (key_cols < 1) ? 1 : ((key_cols > key_entries) ? key_entries : key_cols); " . \
    "key_rows = int((key_entries + key_cols - 1) / key_cols); " . \
    "set key below left horizontal Left reverse maxcols key_cols; " . \
    "set bmargin 5 + 1.7 * key_rows"
set datafile separator ","
set datafile missing "NA"
set datafile columnheaders
set termoption noenhanced
