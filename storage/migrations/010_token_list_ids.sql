-- Partner tokens named their hash list ("hashlist:NAME"), so renaming lists
-- moved a token to another list. Bind each to the id of the list that has
-- the name now; revoke those that name no list, which would otherwise reach
-- the next list to take the name.
UPDATE api_tokens SET revoked_at = strftime('%Y-%m-%dT%H:%M:%f000Z', 'now')
WHERE substr(scope, 1, 9) = 'hashlist:' AND revoked_at = ''
  AND substr(scope, 10) NOT IN (SELECT name FROM hash_lists);

UPDATE api_tokens SET scope = 'hashlist:' || (SELECT l.id FROM hash_lists l WHERE l.name = substr(api_tokens.scope, 10))
WHERE substr(scope, 1, 9) = 'hashlist:' AND substr(scope, 10) IN (SELECT name FROM hash_lists);
