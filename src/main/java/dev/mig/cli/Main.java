package dev.mig.cli;

import java.nio.file.Path;

/** The process entry point: {@code java -jar mig.jar run plan.groovy}. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        int code = MigCommand.execute(args, System.getenv(), Path.of(System.getProperty("user.home")), System.out, System.err,
                System.console() != null);
        System.out.flush();
        System.exit(code);
    }
}
