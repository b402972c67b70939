// mig:run loaded classpath:db/plan.groovy from the project's resources, resolved its sqlFile beside it, and applied it.
def need = { ok, String what -> if (!ok) throw new AssertionError(what) }
def server = System.getProperties().remove('mig.it.server.' + basedir.name)
try {
    String log = new File(basedir, 'build.log').text
    need(log.contains('BUILD SUCCESS'), 'log.contains(\'BUILD SUCCESS\')')
    need(log =~ /applied\s+create parcels/, 'mig:run applied the step of the class path plan')
    def connection = new org.postgresql.Driver().connect(new File(basedir, 'db-url.txt').text.trim(), new Properties())
    try {
        def rs = connection.createStatement().executeQuery("SELECT count(*) FROM information_schema.columns WHERE table_name = 'parcels'")
        rs.next()
        need(rs.getInt(1) == 2, 'parcels has id and weight')
        rs = connection.createStatement().executeQuery("SELECT status FROM mig.steps WHERE plan = 'from the class path'")
        need(rs.next() && rs.getString(1) == 'applied', 'the journal has the step applied')
    } finally {
        connection.close()
    }
} finally {
    server?.close()
}
return true
