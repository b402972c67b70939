-- The hand-made hotfix of cookbook story 2 (polymorphic-foreign-key.groovy), run on a database
-- where that plan has been applied. Someone saw comments.content_id without a foreign key and
-- "fixed" it, NOT VALID so that it would not scan the table:
ALTER TABLE comments ADD CONSTRAINT comments_content_id_fkey
    FOREIGN KEY (content_id) REFERENCES articles (id) NOT VALID;
-- From now on every comment on a video fails:
--   INSERT INTO comments (content_type, content_id, body) VALUES ('video', 7, 'Nice');
--   ERROR:  insert or update on table "comments" violates foreign key constraint "comments_content_id_fkey"
--   DETAIL:  Key (content_id)=(7) is not present in table "articles".
