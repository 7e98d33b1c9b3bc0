"""Output: what people read and take away, built from analysis results and charts.

Tables and texts the pages show (`tables`, `overview`, `roi`, `trends`, `campaigns`, `decision`,
`imports_view`), the downloads (`downloads`), the PowerPoint deck (`deck`), presentation mode
(`presentation`), the command line's report (`report`) and the users' mapping document (`docs`).
"""
