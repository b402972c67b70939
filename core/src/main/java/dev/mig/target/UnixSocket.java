package dev.mig.target;

import java.util.Properties;

/**
 * Connects pgjdbc over a Unix-domain socket, as libpq does for a host that starts with '/'.
 * pgjdbc speaks TCP only but takes a socket factory; junixsocket's {@code FactoryArg} opens the
 * socket file named by {@code socketFactoryArg}, whatever host the JDBC URL names.
 */
final class UnixSocket {

    static final String FACTORY = "org.newsclub.net.unix.AFUNIXSocketFactory$FactoryArg";

    private UnixSocket() {
    }

    /** libpq's socket file in {@code directory} for {@code port}: {@code DIR/.s.PGSQL.PORT}. */
    static String file(String directory, int port) {
        String dir = directory.endsWith("/") && directory.length() > 1
                ? directory.substring(0, directory.length() - 1) : directory;
        return dir + "/.s.PGSQL." + port;
    }

    static void configure(Properties props, String directory, int port) {
        props.setProperty("socketFactory", FACTORY);
        props.setProperty("socketFactoryArg", file(directory, port));
        // libpq never asks for TLS on a socket, whatever sslmode says; pgjdbc would, and a
        // server refuses it there, so sslmode=require would fail where psql connects
        props.setProperty("sslmode", "disable");
    }
}
