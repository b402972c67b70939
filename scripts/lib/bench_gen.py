"""Generates the migrations scripts/bench-run.sh gives every tool:  bench_gen.py N OUT [--flyway-only]

N migrations with a realistic mix, the same SQL in every tool's layout (migration i by i mod 10:
tables with comments, ALTER TABLE ... ADD COLUMN, indexes, views, a few inserts, later migrations
altering, filling and indexing earlier tables):
  OUT/flyway/V<i>__step_<i>.sql        Flyway's names; `mig import OUT/flyway` reads them too
  OUT/liquibase/master.xml             a master changelog including, in order, ...
  OUT/liquibase/changes/<i>.sql        ... one formatted SQL changelog per migration (changeset bench:<i>)
  OUT/psql-one.sql                     psql driver: BEGIN, \\i of every file, COMMIT (one transaction)
  OUT/psql-each.sql                    psql driver: BEGIN, \\i FILE, COMMIT for each file
  OUT/expected                         `TABLES VIEWS`: how many t_* tables and v_* views they create
"""
import os
import sys

KINDS = {
    1: "CREATE TABLE t_{i} (id bigserial PRIMARY KEY, ref bigint, note text);\n"
       "COMMENT ON TABLE t_{i} IS 'table {i}';\n",
    2: "CREATE TABLE t_{i} (id int PRIMARY KEY);\n"
       "ALTER TABLE t_{i} ADD COLUMN v numeric(10,2) DEFAULT 0;\n",
    3: "CREATE VIEW v_{i} AS SELECT {i} AS n, now() AS at;\n",
    4: "CREATE TABLE t_{i} (id bigint PRIMARY KEY, name text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());\n"
       "CREATE INDEX t_{i}_name ON t_{i} (name);\n",
    5: "ALTER TABLE t_{p} ADD COLUMN c_{i} text;\n"
       "COMMENT ON COLUMN t_{p}.c_{i} IS 'added by migration {i}';\n",
    6: "CREATE TABLE t_{i} (id bigint PRIMARY KEY, name text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());\n"
       "CREATE INDEX t_{i}_name ON t_{i} (name);\n",
    7: "INSERT INTO t_{p} (id, name) VALUES (1, 'one'), (2, 'two'), (3, 'three');\n",
    8: "CREATE TABLE t_{i} (id bigserial PRIMARY KEY, ref bigint, note text);\n"
       "COMMENT ON TABLE t_{i} IS 'table {i}';\n",
    9: "CREATE INDEX t_{p}_ref ON t_{p} (ref);\n",
    0: "CREATE VIEW v_{i} AS SELECT t.id, t.name FROM t_{q} t;\n",
}
TABLES, VIEWS = {1, 2, 4, 6, 8}, {3, 0}


def main():
    if len(sys.argv) < 3:
        sys.exit('usage: bench_gen.py N OUT [--flyway-only]')
    n, out = int(sys.argv[1]), os.path.abspath(sys.argv[2])
    flyway_only = '--flyway-only' in sys.argv[3:]
    fw, lb = os.path.join(out, 'flyway'), os.path.join(out, 'liquibase', 'changes')
    os.makedirs(fw)
    if not flyway_only:
        os.makedirs(lb)
    one, each, includes = ['BEGIN;\n'], [], []
    tables = views = 0
    for i in range(1, n + 1):
        k = i % 10
        sql = KINDS[k].format(i=i, p=i - 1, q=i - 4)
        tables += k in TABLES
        views += k in VIEWS
        path = os.path.join(fw, f'V{i}__step_{i}.sql')
        with open(path, 'w') as f:
            f.write(sql)
        if flyway_only:
            continue
        with open(os.path.join(lb, f'{i:06d}.sql'), 'w') as f:
            f.write(f'--liquibase formatted sql\n\n--changeset bench:{i}\n{sql}')
        includes.append(f'    <include file="changes/{i:06d}.sql" relativeToChangelogFile="true"/>\n')
        one.append(f'\\i {path}\n')
        each.append(f'BEGIN;\n\\i {path}\nCOMMIT;\n')
    one.append('COMMIT;\n')
    if not flyway_only:
        with open(os.path.join(out, 'liquibase', 'master.xml'), 'w') as f:
            f.write('<?xml version="1.0" encoding="UTF-8"?>\n'
                    '<databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog"'
                    ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"\n'
                    '        xsi:schemaLocation="http://www.liquibase.org/xml/ns/dbchangelog'
                    ' http://www.liquibase.org/xml/ns/dbchangelog/dbchangelog-latest.xsd">\n')
            f.writelines(includes)
            f.write('</databaseChangeLog>\n')
        with open(os.path.join(out, 'psql-one.sql'), 'w') as f:
            f.writelines(one)
        with open(os.path.join(out, 'psql-each.sql'), 'w') as f:
            f.writelines(each)
    with open(os.path.join(out, 'expected'), 'w') as f:
        f.write(f'{tables} {views}\n')


main()
