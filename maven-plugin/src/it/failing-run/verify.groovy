// mig:run failed the build with mig's message: the failed step, the exit code's meaning and the
// failure block (SQL State 22012); the first step stayed applied, the failed one is journalled.
// a failed check names what failed, not the whole build.log
def need = { ok, String what -> if (!ok) throw new AssertionError(what) }
def server = System.getProperties().remove('mig.it.server.' + basedir.name)
try {
    String log = new File(basedir, 'build.log').text
    need(log.contains('BUILD FAILURE'), 'log.contains(\'BUILD FAILURE\')')
    need(log.contains("mig run: step 'divide' failed (exit 1: a step failed)"), 'log.contains("mig run: step \'divide\' failed (exit 1: a step failed)")')
    need(log.contains('22012'), 'the failure names the SQL State of division by zero')
    need(!log.contains('Exception in thread'), '!log.contains(\'Exception in thread\')')

    def connection = new org.postgresql.Driver().connect(new File(basedir, 'db-url.txt').text.trim(), new Properties())
    try {
        def rs = connection.createStatement().executeQuery(
                "SELECT string_agg(step || '=' || status, ', ' ORDER BY step) FROM mig.steps WHERE plan = 'broken'")
        rs.next()
        need(rs.getString(1) == 'create t=applied, divide=failed', 'rs.getString(1) == \'create t=applied, divide=failed\'')
    } finally {
        connection.close()
    }
} finally {
    server?.close()
}
return true
