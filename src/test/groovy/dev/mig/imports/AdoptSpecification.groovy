package dev.mig.imports

import dev.mig.testing.MigCli
import dev.mig.testing.TestPostgres
import groovy.sql.Sql

import java.nio.file.Path

/** What the adoption specs of Liquibase, Sqitch and --history-table share: adopting, and watching that nothing of theirs ran. */
abstract class AdoptSpecification extends ImportSpecification {

    protected static MigCli adopting(Path dir, Path plan, String db, String... more) {
        MigCli.run(['import', dir.toString(), '--out', plan.toString(), '--force', '--adopt', TestPostgres.jdbcUrl(db)] + (more as List))
    }

    /** Logs every DDL command outside mig's journal schema: any SQL of theirs that ran shows here. */
    protected static void watch(String db) {
        TestPostgres.withSql(db) { Sql s ->
            s.execute('CREATE TABLE public.ddl_log (id serial, object text)')
            s.execute('''CREATE FUNCTION public.log_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO public.ddl_log (object) SELECT object_identity FROM pg_event_trigger_ddl_commands()
                    WHERE schema_name IS DISTINCT FROM 'mig' AND object_identity IS DISTINCT FROM 'mig';
                END $$''')
            s.execute('CREATE EVENT TRIGGER log_ddl ON ddl_command_end EXECUTE FUNCTION public.log_ddl()')
        }
    }

    protected static List<String> rows(String db, String query) {
        TestPostgres.withSql(db) { Sql s -> s.rows(query).collect { it.values().join('|') } }
    }

    protected static List<String> ddlLog(String db) { rows(db, 'SELECT object FROM public.ddl_log ORDER BY id') }

    protected static List<String> journal(String db) { rows(db, 'SELECT step, status FROM mig.steps ORDER BY position') }
}
