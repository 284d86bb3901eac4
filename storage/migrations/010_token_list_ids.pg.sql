-- PostgreSQL's version of 010_token_list_ids.sql (its clock function).
UPDATE api_tokens SET revoked_at = to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
WHERE substr(scope, 1, 9) = 'hashlist:' AND revoked_at = ''
  AND substr(scope, 10) NOT IN (SELECT name FROM hash_lists);

UPDATE api_tokens SET scope = 'hashlist:' || (SELECT l.id FROM hash_lists l WHERE l.name = substr(api_tokens.scope, 10))
WHERE substr(scope, 1, 9) = 'hashlist:' AND substr(scope, 10) IN (SELECT name FROM hash_lists);
