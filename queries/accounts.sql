-- The accounts named in the workspace (pages, channels, handles), for the account filter.
-- Returns: account. Parameters: none.
SELECT DISTINCT account FROM facts_current WHERE account <> '' ORDER BY account;
