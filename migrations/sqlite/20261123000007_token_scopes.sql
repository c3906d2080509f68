-- What an API token may do: "full" (everything its account may) or "read"
-- (GET only, e.g. for a reporting integration).
ALTER TABLE api_tokens ADD COLUMN scope TEXT NOT NULL DEFAULT 'full';
