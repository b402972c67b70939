// Cookbook story 2: a polymorphic foreign key (docs/COOKBOOK.md).
//
// A comment belongs to an article or to a video: comments(content_type, content_id). No foreign
// key can say that, since content_id points at one table or the other, chosen by content_type.
// Someone added FOREIGN KEY (content_id) REFERENCES articles (id) by hand, and from then on every
// comment on a video failed with
//     ERROR:  insert or update on table "comments" violates foreign key constraint "comments_content_id_fkey"
// The verify block promises there is no such key (mig verify and mig run --reverify find one
// added by hand), mig lint flags the statement in a plan, and a trigger checks what a key cannot.
//
//   scripts/mig run dsl-examples/cookbook/polymorphic-foreign-key.groovy      (embedded PostgreSQL)
//   scripts/mig run --url "$URL" dsl-examples/cookbook/polymorphic-foreign-key.groovy
//   psql "$URL" -f dsl-examples/cookbook/incidents/polymorphic-foreign-key.sql    (the hotfix)
//   scripts/mig run --reverify --url "$URL" dsl-examples/cookbook/polymorphic-foreign-key.groovy
//
// expect: exit 0
plan('polymorphic-foreign-key') {
    description 'comments on articles and videos: one polymorphic key, checked by a trigger'

    step('content tables') {
        sql '''CREATE TABLE articles (id bigint PRIMARY KEY, title text NOT NULL);
               CREATE TABLE videos (id bigint PRIMARY KEY, url text NOT NULL)'''
        verify {
            table('articles') { columns 'id', 'title' }
            table('videos') { columns 'id', 'url' }
        }
    }

    step('comments') {
        requires 'content tables'
        sql '''CREATE TABLE comments (
                   id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                   content_type text NOT NULL CHECK (content_type IN ('article', 'video')),
                   content_id   bigint NOT NULL,
                   body         text NOT NULL
               );
               CREATE INDEX comments_content_idx ON comments (content_type, content_id)'''
        verify {
            table('comments') {
                columns 'id', 'content_type', 'content_id', 'body'
                noForeignKey 'content_id'          // one column, two tables: no foreign key can hold
                indexes 1, excluding: 'constraints'
            }
        }
    }

    // What a foreign key cannot check, a trigger can: the row the comment points at exists.
    step('comments point at something') {
        requires 'comments'
        sql '''CREATE FUNCTION comment_target_exists() RETURNS trigger LANGUAGE plpgsql AS $$
               BEGIN
                   IF NEW.content_type = 'article' AND NOT EXISTS (SELECT FROM articles WHERE id = NEW.content_id)
                      OR NEW.content_type = 'video' AND NOT EXISTS (SELECT FROM videos WHERE id = NEW.content_id) THEN
                       RAISE foreign_key_violation
                           USING MESSAGE = format('comment on %s %s, which does not exist', NEW.content_type, NEW.content_id);
                   END IF;
                   RETURN NEW;
               END $$;
               CREATE TRIGGER comments_target_exists BEFORE INSERT OR UPDATE OF content_type, content_id ON comments
                   FOR EACH ROW EXECUTE FUNCTION comment_target_exists()'''
        verify {
            function 'comment_target_exists()'
            table('comments') { triggers 'comments_target_exists' }
        }
    }
}
