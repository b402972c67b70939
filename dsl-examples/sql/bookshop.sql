-- Authors and their books. Run by the 'create authors and books' step of quickstart.groovy.

CREATE TABLE authors (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       text NOT NULL,
    email      citext NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE books (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    author_id bigint NOT NULL REFERENCES authors (id),
    title     text NOT NULL,
    genre     genre NOT NULL,
    published date,
    added_at  timestamptz NOT NULL DEFAULT now()
);

/* Foreign keys are not indexed by PostgreSQL itself; the join in books_by_author needs one. */
CREATE INDEX books_author_idx ON books (author_id);
CREATE INDEX books_genre_published_idx ON books (genre, published DESC);
