// mig:plan showed both steps pending; mig:run applied both steps, journalled them and wrote both reports; mig:status listed them as
// applied; the password given to the plugin never reached the log.
// a failed check names what failed, not the whole build.log
def need = { ok, String what -> if (!ok) throw new AssertionError(what) }
def server = System.getProperties().remove('mig.it.server.' + basedir.name)
try {
    String log = new File(basedir, 'build.log').text
    need(log.contains('BUILD SUCCESS'), 'log.contains(\'BUILD SUCCESS\')')
    need(!log.contains('it-secret-pw-4711'), 'the password reached the build log')
    need(log =~ /pending\s+create orders/, 'mig:plan, before the run, shows the first step pending')
    need(log.contains('what a run would do; nothing is changed'), 'mig:plan says what it shows')
    need(log =~ /applied\s+create orders/, 'mig:status lists the first step as applied')
    need(log =~ /applied\s+add note/, 'mig:status lists the second step as applied')
    need(log.contains('0 steps to run'), 'log.contains(\'0 steps to run\')')

    def connection = new org.postgresql.Driver().connect(new File(basedir, 'db-url.txt').text.trim(), new Properties())
    try {
        def rs = connection.createStatement().executeQuery(
                "SELECT string_agg(step || '=' || status, ', ' ORDER BY step) FROM mig.steps WHERE plan = 'orders'")
        rs.next()
        need(rs.getString(1) == 'add note=applied, create orders=applied', 'rs.getString(1) == \'add note=applied, create orders=applied\'')
        rs = connection.createStatement().executeQuery(
                "SELECT count(*) FROM information_schema.columns WHERE table_name = 'orders'")
        rs.next()
        need(rs.getInt(1) == 3, 'orders has id, total and note')
    } finally {
        connection.close()
    }

    String json = new File(basedir, 'target/mig-report.json').text
    need(json.contains('"create orders"') && json.contains('"add note"'), 'json.contains(\'"create orders"\') && json.contains(\'"add note"\')')
    String junit = new File(basedir, 'target/mig-junit.xml').text
    need(junit.contains('<testcase') && junit.contains('add note'), 'junit.contains(\'<testcase\') && junit.contains(\'add note\')')
} finally {
    server?.close()
}
return true
