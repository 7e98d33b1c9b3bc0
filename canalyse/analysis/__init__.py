"""Analysis: what the figures say, as DataFrames and plain data — never a chart, never a slide.

Return on investment and its settings (`roi`, `efforts`), events and what changed around them
(`events`), views and followers over time (`trends`), campaigns compared (`campaigns`), the
stay-or-leave scorecard (`decision`) and its what-if simulator (`simulator`), the headline
sentences every chart and slide states (`findings`), and the glossary's content (`glossary`).

Modules here read the store and the query files and may use one another; they never import
Plotly, python-pptx or anything of `canalyse.charts` and `canalyse.output`.
"""
