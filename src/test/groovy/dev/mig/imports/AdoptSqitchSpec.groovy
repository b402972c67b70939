package dev.mig.imports

import dev.mig.testing.TestPostgres
import groovy.sql.Sql

import java.nio.file.Files
import java.nio.file.Path

/**
 * mig import --adopt for Sqitch: its registry made with the tables of Sqitch's pg.sql, its rows
 * written as sqitch deploy and sqitch revert write them.
 */
class AdoptSqitchSpec extends AdoptSpecification {

    // ---- Sqitch ---------------------------------------------------------------------------------------------

    /** Sqitch's registry for PostgreSQL (schema sqitch), its tables as Sqitch's pg.sql creates them. */
    private static void sqitchRegistry(Sql s) {
        s.execute('''SET client_min_messages = warning;
            CREATE SCHEMA sqitch;
            CREATE TABLE sqitch.releases (version REAL PRIMARY KEY, installed_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
                installer_name TEXT NOT NULL, installer_email TEXT NOT NULL);
            CREATE TABLE sqitch.projects (project TEXT PRIMARY KEY, uri TEXT NULL UNIQUE, created_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
                creator_name TEXT NOT NULL, creator_email TEXT NOT NULL);
            CREATE TABLE sqitch.changes (change_id TEXT PRIMARY KEY, script_hash TEXT NULL, change TEXT NOT NULL,
                project TEXT NOT NULL REFERENCES sqitch.projects(project) ON UPDATE CASCADE, note TEXT NOT NULL DEFAULT '',
                committed_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(), committer_name TEXT NOT NULL, committer_email TEXT NOT NULL,
                planned_at TIMESTAMPTZ NOT NULL, planner_name TEXT NOT NULL, planner_email TEXT NOT NULL, UNIQUE(project, script_hash));
            CREATE TABLE sqitch.tags (tag_id TEXT PRIMARY KEY, tag TEXT NOT NULL,
                project TEXT NOT NULL REFERENCES sqitch.projects(project) ON UPDATE CASCADE,
                change_id TEXT NOT NULL REFERENCES sqitch.changes(change_id) ON UPDATE CASCADE, note TEXT NOT NULL DEFAULT '',
                committed_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(), committer_name TEXT NOT NULL, committer_email TEXT NOT NULL,
                planned_at TIMESTAMPTZ NOT NULL, planner_name TEXT NOT NULL, planner_email TEXT NOT NULL, UNIQUE(project, tag));
            CREATE TABLE sqitch.dependencies (
                change_id TEXT NOT NULL REFERENCES sqitch.changes(change_id) ON UPDATE CASCADE ON DELETE CASCADE, type TEXT NOT NULL,
                dependency TEXT NOT NULL, dependency_id TEXT NULL REFERENCES sqitch.changes(change_id) ON UPDATE CASCADE
                    CONSTRAINT dependencies_check CHECK ((type = 'require' AND dependency_id IS NOT NULL) OR (type = 'conflict' AND dependency_id IS NULL)),
                PRIMARY KEY (change_id, dependency));
            CREATE TABLE sqitch.events (
                event TEXT NOT NULL CONSTRAINT events_event_check CHECK (event IN ('deploy', 'revert', 'fail', 'merge')),
                change_id TEXT NOT NULL, change TEXT NOT NULL, project TEXT NOT NULL REFERENCES sqitch.projects(project) ON UPDATE CASCADE,
                note TEXT NOT NULL DEFAULT '', requires TEXT[] NOT NULL DEFAULT '{}', conflicts TEXT[] NOT NULL DEFAULT '{}',
                tags TEXT[] NOT NULL DEFAULT '{}', committed_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(), committer_name TEXT NOT NULL,
                committer_email TEXT NOT NULL, planned_at TIMESTAMPTZ NOT NULL, planner_name TEXT NOT NULL, planner_email TEXT NOT NULL,
                PRIMARY KEY (change_id, committed_at));
            INSERT INTO sqitch.releases (version, installer_name, installer_email) VALUES (1.1, 'Ann', 'ann@example.com');''')
    }

    /** The change id Sqitch would give it (a SHA-1 of the change's identity; mig does not read it). */
    private static String changeId(String project, String step) { "${project} ${step}".toString().digest('SHA-1') }

    private static final String WHO = "'Ann', 'ann@example.com', '2024-01-01T10:00:00Z', 'Ann', 'ann@example.com'"

    /**
     * What sqitch deploy does for one change: runs its deploy script as psql would (its BEGIN/COMMIT make
     * it one transaction), then records it (changes, dependencies, tags, a deploy event); with {@code fail}
     * the script is not run and only a fail event is logged, as Sqitch logs a deploy that failed.
     */
    private static void sqitchDeploy(Sql s, Path dir, String project, String step, List<String> requires = [], String tag = null, boolean fail = false) {
        String change = step.replaceAll(/@.*/, '')
        String id = changeId(project, step)
        String reqs = '{' + requires.join(',') + '}'
        if (fail) {
            s.execute("INSERT INTO sqitch.events (event, change_id, change, project, note, requires, committer_name, committer_email, planned_at, planner_name, planner_email) VALUES ('fail', ?, ?, ?, '', ?::text[], ${WHO})".toString(),
                    [id, change, project, reqs])
            return
        }
        s.execute(Files.readString(dir.resolve("deploy/${step}.sql")))
        s.execute("INSERT INTO sqitch.changes (change_id, script_hash, change, project, note, committer_name, committer_email, planned_at, planner_name, planner_email) VALUES (?, ?, ?, ?, '', ${WHO})".toString(),
                [id, Files.readAllBytes(dir.resolve("deploy/${step}.sql")).digest('SHA-1'), change, project])
        requires.each { r ->
            s.execute("INSERT INTO sqitch.dependencies (change_id, type, dependency, dependency_id) VALUES (?, 'require', ?, ?)", [id, r, changeId(project, r)])
        }
        if (tag) {
            s.execute("INSERT INTO sqitch.tags (tag_id, tag, project, change_id, note, committer_name, committer_email, planned_at, planner_name, planner_email) VALUES (?, ?, ?, ?, '', ${WHO})".toString(),
                    [changeId(project, '@' + tag), '@' + tag, project, id])
        }
        s.execute("INSERT INTO sqitch.events (event, change_id, change, project, note, requires, tags, committer_name, committer_email, planned_at, planner_name, planner_email) VALUES ('deploy', ?, ?, ?, '', ?::text[], ?::text[], ${WHO})".toString(),
                [id, change, project, reqs, tag ? '{@' + tag + '}' : '{}'])
    }

    /** What sqitch revert does for one change: runs its revert script, removes its rows and logs a revert event. */
    private static void sqitchRevert(Sql s, Path dir, String project, String step) {
        String id = changeId(project, step)
        s.execute(Files.readString(dir.resolve("revert/${step}.sql")))
        s.execute('DELETE FROM sqitch.tags WHERE change_id = ?', [id])
        s.execute('DELETE FROM sqitch.dependencies WHERE change_id = ?', [id])
        s.execute('DELETE FROM sqitch.changes WHERE change_id = ?', [id])
        s.execute("INSERT INTO sqitch.events (event, change_id, change, project, note, committer_name, committer_email, planned_at, planner_name, planner_email) VALUES ('revert', ?, ?, ?, '', ${WHO})".toString(),
                [id, step.replaceAll(/@.*/, ''), project])
    }

    private Path sqitchProject(String name) {
        folder(name, [
                'sqitch.conf'             : '[core]\n\tengine = pg\n',
                'sqitch.plan'             : '''%syntax-version=1.0.0
%project=flipr

people 2024-01-01T10:00:00Z Ann <ann@example.com> # people
pets [people] 2024-01-02T10:00:00Z Ann <ann@example.com> # pets
names_fn [people] 2024-01-03T10:00:00Z Ann <ann@example.com> # names
@v1.0 2024-01-04T10:00:00Z Ann <ann@example.com> # release
names_fn [names_fn@v1.0] 2024-01-05T10:00:00Z Ann <ann@example.com> # upper-case names
later [pets] 2024-01-06T10:00:00Z Ann <ann@example.com> # later
''',
                'deploy/people.sql'       : "BEGIN;\nCREATE TABLE people (id int PRIMARY KEY, name text);\nINSERT INTO people VALUES (1, 'ann');\nCOMMIT;\n",
                'revert/people.sql'       : 'BEGIN;\nDROP TABLE people;\nCOMMIT;\n',
                'deploy/pets.sql'         : 'BEGIN;\nCREATE TABLE pets (id int, owner int REFERENCES people);\nCOMMIT;\n',
                'revert/pets.sql'         : 'BEGIN;\nDROP TABLE pets;\nCOMMIT;\n',
                'deploy/names_fn@v1.0.sql': 'BEGIN;\nCREATE FUNCTION names() RETURNS SETOF text LANGUAGE sql AS $$ SELECT name FROM people $$;\nCOMMIT;\n',
                'revert/names_fn@v1.0.sql': 'BEGIN;\nDROP FUNCTION names();\nCOMMIT;\n',
                'deploy/names_fn.sql'     : 'BEGIN;\nCREATE OR REPLACE FUNCTION names() RETURNS SETOF text LANGUAGE sql AS $$ SELECT upper(name) FROM people $$;\nCOMMIT;\n',
                'revert/names_fn.sql'     : 'BEGIN;\nCREATE OR REPLACE FUNCTION names() RETURNS SETOF text LANGUAGE sql AS $$ SELECT name FROM people $$;\nCOMMIT;\n',
                'deploy/later.sql'        : "BEGIN;\nCREATE TABLE later (id int);\nINSERT INTO people VALUES (3, 'cy');\nCOMMIT;\n",
                'revert/later.sql'        : 'BEGIN;\nDROP TABLE later;\nDELETE FROM people WHERE id = 3;\nCOMMIT;\n'])
    }

    def "a Sqitch project is adopted from its registry: a reworked change matched per version, a reverted one left to mig run, nothing of theirs ran"() {
        given: 'every change deployed, the reworked names_fn in both versions; then later reverted; another project in the same registry'
        Path dir = sqitchProject('flipr')
        String db = TestPostgres.createDatabase('adopt_sqitch')
        TestPostgres.withSql(db) { Sql s ->
            sqitchRegistry(s)
            s.execute("INSERT INTO sqitch.projects (project, creator_name, creator_email) VALUES ('flipr', 'Ann', 'ann@example.com'), ('other', 'Bo', 'bo@example.com')")
            sqitchDeploy(s, dir, 'flipr', 'people')
            sqitchDeploy(s, dir, 'flipr', 'pets', ['people'])
            sqitchDeploy(s, dir, 'flipr', 'names_fn@v1.0', ['people'], 'v1.0')
            sqitchDeploy(s, dir, 'flipr', 'names_fn', ['names_fn@v1.0'])
            sqitchDeploy(s, dir, 'flipr', 'later', ['pets'])
            sqitchRevert(s, dir, 'flipr', 'later')
            s.execute("INSERT INTO sqitch.changes (change_id, script_hash, change, project, committer_name, committer_email, planned_at, planner_name, planner_email) VALUES ('x1', 'abc', 'later', 'other', ${WHO})".toString())
        }
        watch(db)
        def registry = rows(db, 'SELECT * FROM sqitch.changes ORDER BY committed_at')
        Path plan = tmp.resolve('flipr.groovy')

        when:
        def adopted = adopting(dir, plan, db)

        then:
        adopted.exitCode == 0
        adopted.out.contains('adopted 4 migrations from sqitch.changes')
        adopted.out.contains('1 not applied by the other tool: mig run will apply it (later)')
        journal(db) == ['people|applied', 'pets|applied', 'names_fn@v1.0|applied', 'names_fn|applied']
        rows(db, "SELECT step, notices FROM mig.history WHERE outcome = 'adopted' ORDER BY id")[2] ==
                'names_fn@v1.0|adopted from sqitch.changes change names_fn (change_id ' + changeId('flipr', 'names_fn@v1.0') + ')'
        ddlLog(db) == []
        rows(db, 'SELECT id FROM people ORDER BY id') == ['1']
        rows(db, 'SELECT * FROM sqitch.changes ORDER BY committed_at') == registry

        when:
        def run = running(db, plan)

        then: 'only the reverted change runs'
        run.exitCode == 0
        ddlLog(db) == ['public.later']
        rows(db, 'SELECT id FROM people ORDER BY id') == ['1', '3']
    }

    def "a Sqitch deploy script changed since it was deployed is drift (exit 5); a change whose newest event is a fail stops the adoption"() {
        given:
        Path dir = sqitchProject('flipr2')
        String db = TestPostgres.createDatabase('adopt_sqitch_drift')
        TestPostgres.withSql(db) { Sql s ->
            sqitchRegistry(s)
            s.execute("INSERT INTO sqitch.projects (project, creator_name, creator_email) VALUES ('flipr', 'Ann', 'ann@example.com')")
            sqitchDeploy(s, dir, 'flipr', 'people')
            sqitchDeploy(s, dir, 'flipr', 'pets', ['people'])
        }
        String before = Files.readAllBytes(dir.resolve('deploy/pets.sql')).digest('SHA-1')
        Files.writeString(dir.resolve('deploy/pets.sql'), 'BEGIN;\nCREATE TABLE pets (id bigint, owner int REFERENCES people);\nCOMMIT;\n')

        when:
        def drift = adopting(dir, tmp.resolve('s.groovy'), db)

        then:
        drift.exitCode == 5
        drift.err.contains('cannot adopt sqitch.changes (1 problem; nothing was recorded)')
        drift.err.contains("deploy/pets.sql: changed since Sqitch deployed it (sqitch.changes change pets (change_id ${changeId('flipr', 'pets')}) has script_hash ${before}, the file's SHA-1 is ${Files.readAllBytes(dir.resolve('deploy/pets.sql')).digest('SHA-1')})".toString())
        journal(db) == []

        when: 'the script restored, and a deploy of names_fn@v1.0 that failed'
        Files.writeString(dir.resolve('deploy/pets.sql'), 'BEGIN;\nCREATE TABLE pets (id int, owner int REFERENCES people);\nCOMMIT;\n')
        TestPostgres.withSql(db) { Sql s -> sqitchDeploy(s, dir, 'flipr', 'names_fn@v1.0', ['people'], null, true) }
        def failed = adopting(dir, tmp.resolve('s.groovy'), db)

        then:
        failed.exitCode == 5
        failed.err.contains('sqitch.events: the newest event of change names_fn (change_id ' + changeId('flipr', 'names_fn@v1.0') + ', ')
        failed.err.contains('is a failed deploy')
        journal(db) == []
    }

    def "a registry of another name (sqitch --registry reg) is read with --history-table reg.changes, which needs --adopt"() {
        given: 'the registry made in schema reg, as sqitch --registry reg makes it'
        Path dir = sqitchProject('flipr3')
        String db = TestPostgres.createDatabase('adopt_sqitch_registry')
        TestPostgres.withSql(db) { Sql s ->
            sqitchRegistry(s)
            s.execute("INSERT INTO sqitch.projects (project, creator_name, creator_email) VALUES ('flipr', 'Ann', 'ann@example.com')")
            sqitchDeploy(s, dir, 'flipr', 'people')
            sqitchDeploy(s, dir, 'flipr', 'pets', ['people'])
            s.execute('ALTER SCHEMA sqitch RENAME TO reg')
        }

        when:
        def missing = adopting(dir, tmp.resolve('r.groovy'), db)
        def adopted = adopting(dir, tmp.resolve('r.groovy'), db, '--history-table', 'reg.changes')
        def withoutAdopt = importing(dir, tmp.resolve('r2.groovy'), '--history-table', 'reg.changes')

        then:
        missing.exitCode == 2
        missing.err.contains('no table changes on the --adopt database (looked up in schema sqitch): Sqitch has not migrated it')
        adopted.exitCode == 0
        adopted.out.contains('adopted 2 migrations from reg.changes')
        journal(db) == ['people|applied', 'pets|applied']
        withoutAdopt.exitCode == 2
        withoutAdopt.err.contains('--history-table reg.changes without --adopt')
    }
}
