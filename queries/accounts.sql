-- The accounts named in the workspace (pages, channels, handles), for the account filter.
-- Returns: account. Parameters: none.
SELECT account FROM figures WHERE account <> ''
UNION
SELECT account FROM figures_set_aside WHERE account <> ''
ORDER BY account;
