package io.github.tdmqhttp.benchmarks;

import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Starts a main class of this module in a JVM of its own, with the benchmark's classpath: for figures that one process
 * must not blur (CPU time with the emulator elsewhere) and for several consumer processes on one subscription.
 */
final class ChildJvm {

    private ChildJvm() {
    }

    static Process start(Class<?> main, Path output, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx256m", "-XX:+ExitOnOutOfMemoryError", "-cp", classpath(), main.getName()));
        String options = System.getProperty("bench.child.options", "");
        if (!options.isBlank()) {
            // For a profile of the child, e.g. -Dbench.child.options=-XX:StartFlightRecording=filename=cpu.jfr
            command.addAll(command.indexOf("-cp"), Arrays.asList(options.strip().split("\\s+")));
        }
        command.addAll(Arrays.asList(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    }

    /**
     * The classpath this module runs with: surefire's, the class loader's (exec:java runs the benchmark in a class
     * loader of its own, not on java.class.path), or the JVM's.
     */
    private static String classpath() {
        String surefire = System.getProperty("surefire.test.class.path");
        if (surefire != null && !surefire.isBlank()) {
            return surefire;
        }
        if (ChildJvm.class.getClassLoader() instanceof URLClassLoader loader && loader.getURLs().length > 1) {
            return Arrays.stream(loader.getURLs()).map(ChildJvm::file).collect(Collectors.joining(File.pathSeparator));
        }
        return System.getProperty("java.class.path");
    }

    private static String file(URL url) {
        try {
            return Path.of(url.toURI()).toString();
        } catch (Exception e) {
            return url.getPath();
        }
    }
}
