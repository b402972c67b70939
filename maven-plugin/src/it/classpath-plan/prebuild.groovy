// Starts an embedded PostgreSQL 17 (mig-testkit, on the hook's class path through the invoker's
// addTestClassPath) for this project's build, and points the plan's environment 'local' at it.
// verify.groovy stops it. The server lives in the invoker's JVM; the build is another process.
import dev.mig.embedded.EmbeddedServer

def server = EmbeddedServer.start()
System.getProperties().put('mig.it.server.' + basedir.name, server)
String url = "jdbc:postgresql://127.0.0.1:${server.port()}/postgres?user=postgres"
new File(basedir, 'src/main/resources/db/mig.groovy').text = "environments {\n    local { url '${url}' }\n}\n"
new File(basedir, 'db-url.txt').text = url
return true
