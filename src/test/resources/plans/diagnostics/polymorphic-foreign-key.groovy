// 23503: comments.commentable_id points at posts or photos, as commentable_type says; a foreign
// key to posts fails on the photo comments.
plan('polymorphic-foreign-key') {
    step('comments reference posts') {
        sql 'ALTER TABLE comments ADD CONSTRAINT comments_commentable_fk FOREIGN KEY (commentable_id) REFERENCES posts (id)'
    }
}
