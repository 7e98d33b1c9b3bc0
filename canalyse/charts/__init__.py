"""Charts: Plotly figures meant to go straight into a slide for elected officials.

`base` holds what every chart shares: the "canalyse" template and its colours, titles that wrap,
the source line and its place inside the figure, the one horizontal bar layout, and the camera
button's settings. One module per page draws that page's charts from `canalyse.analysis` results;
the finding a chart states as its title comes from `canalyse.analysis.findings`.
"""
