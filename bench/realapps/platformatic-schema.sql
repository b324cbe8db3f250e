-- A small bookshop for Platformatic DB (bench/realapps/platformatic.sh): accounts that sign in
-- elsewhere (their JWT carries the id), authors, books, reviews owned by their account, and a
-- PostgreSQL function that the app's one plugin route exposes (restocking a book).
CREATE TYPE genre AS ENUM ('fiction', 'non-fiction', 'poetry', 'children');

CREATE TABLE accounts (
  id serial PRIMARY KEY,
  username text NOT NULL UNIQUE CHECK (username ~ '^[a-z][a-z0-9_]{2,31}$'),
  display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 80),
  email text NOT NULL UNIQUE CHECK (position('@' in email) > 1),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE authors (
  id serial PRIMARY KEY,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  born smallint CHECK (born BETWEEN 1000 AND 2100),
  country char(2)
);

CREATE TABLE books (
  id serial PRIMARY KEY,
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
  isbn varchar(13) UNIQUE CHECK (isbn ~ '^[0-9]{13}$'),
  author_id integer NOT NULL REFERENCES authors (id) ON DELETE RESTRICT,
  genre genre NOT NULL DEFAULT 'fiction',
  price numeric(8, 2) NOT NULL CHECK (price >= 0),
  published_on date,
  stock integer NOT NULL DEFAULT 0 CHECK (stock >= 0)
);

CREATE TABLE reviews (
  id serial PRIMARY KEY,
  book_id integer NOT NULL REFERENCES books (id) ON DELETE CASCADE,
  account_id integer NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  rating smallint NOT NULL CHECK (rating BETWEEN 1 AND 5),
  body text CHECK (length(body) <= 4000),
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (book_id, account_id)
);

-- Adds copies to a book's stock and returns the new stock; NULL when no such book.
CREATE FUNCTION restock(p_book_id integer, p_copies integer) RETURNS integer
LANGUAGE sql AS $$
  UPDATE books SET stock = stock + p_copies WHERE id = p_book_id RETURNING stock
$$;

INSERT INTO accounts (username, display_name, email) VALUES
  ('alice', 'Alice Archer', 'alice@example.org'),
  ('bob', 'Bob Binder', 'bob@example.org');
INSERT INTO authors (name, born, country) VALUES
  ('Ursula K. Le Guin', 1929, 'US'), ('Italo Calvino', 1923, 'IT'), ('Wisława Szymborska', 1923, 'PL');
INSERT INTO books (title, isbn, author_id, genre, price, published_on, stock) VALUES
  ('The Dispossessed', '9780061054884', 1, 'fiction', 9.99, '1974-05-01', 12),
  ('Invisible Cities', '9780156453806', 2, 'fiction', 12.50, '1972-11-01', 4),
  ('View with a Grain of Sand', '9780156002165', 3, 'poetry', 14.00, '1995-09-15', 0);
INSERT INTO reviews (book_id, account_id, rating, body) VALUES
  (1, 1, 5, 'An ambiguous utopia, unambiguously good.'),
  (2, 2, 4, 'Short chapters, long thoughts.');
