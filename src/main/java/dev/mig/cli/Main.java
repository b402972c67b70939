package dev.mig.cli;

import java.nio.file.Path;

/** The process entry point: {@code java -jar mig.jar run plan.groovy}. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        // picocli looks for groovy.lang.Closure (closures in annotations, which mig does not use):
        // loading it starts Groovy's whole runtime (metaclass registry, extension modules) before
        // any argument is parsed, about a third of `mig --version`. Groovy starts when a plan loads.
        System.setProperty("picocli.disable.closures", "true");
        int code = MigCommand.execute(args, System.getenv(), Path.of(System.getProperty("user.home")), System.out, System.err,
                System.console() != null);
        System.out.flush();
        System.exit(code);
    }
}
