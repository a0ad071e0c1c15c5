package io.github.tdmqhttp.camel;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The layout CONTRIBUTING.md describes, checked on the compiled classes: no cycle between classes (Camel's own knot of
 * component, endpoint, consumer and producer aside, which its SPI ties together), none between packages, and the
 * packages below the root know nothing of the Camel endpoint classes that use them.
 */
class ArchitectureTest {

    private static final String ROOT = "io.github.tdmqhttp.camel";

    /**
     * Camel's SPI makes these refer to one another (an endpoint creates its consumer, which returns its endpoint); the
     * consumer's attributes are the consumer's own base class.
     */
    private static final Set<String> CAMEL_KNOT = Set.of("TdmqHttpComponent", "TdmqHttpEndpoint", "TdmqHttpConsumer",
            "TdmqHttpConsumerAttributes", "TdmqHttpProducer");

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);

    @Test
    void noClassesDependOnEachOtherInACycle() {
        slices().assignedFrom(new SliceAssignment() {
            @Override
            public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
                if (!javaClass.getPackageName().startsWith(ROOT) || javaClass.getPackageName().contains(".springboot")) {
                    return SliceIdentifier.ignore();
                }
                String name = javaClass.getName();
                // Nested and generated classes belong to the class they are written in or generated for.
                String outer = name.contains("$") ? name.substring(0, name.indexOf('$')) : name;
                String simple = outer.substring(outer.lastIndexOf('.') + 1)
                        .replaceAll("(Configurer|UriFactory)$", "");
                return SliceIdentifier.of(CAMEL_KNOT.contains(simple) ? "the Camel endpoint" : simple);
            }

            @Override
            public String getDescription() {
                return "one slice per class";
            }
        }).should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void noPackagesBelowTheRootDependOnEachOtherInACycle() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void thePackagesBelowTheRootKnowNothingOfTheCamelEndpoint() {
        noClasses().that().resideInAnyPackage(ROOT + ".client..", ROOT + ".consumer..", ROOT + ".producer..",
                        ROOT + ".metrics..")
                .should().dependOnClassesThat().haveSimpleName("TdmqHttpEndpoint")
                .orShould().dependOnClassesThat().haveSimpleName("TdmqHttpComponent")
                .orShould().dependOnClassesThat().haveSimpleName("TdmqHttpConsumer")
                .orShould().dependOnClassesThat().haveSimpleName("TdmqHttpConsumerAttributes")
                .orShould().dependOnClassesThat().haveSimpleName("TdmqHttpProducer")
                .check(CLASSES);
    }

    /**
     * A class a reader takes in one sitting: the consumer and the producer keep to their loop and their send, the
     * rest to one job each. The option class (one field, getter and setter per option) is the exception.
     */
    @Test
    void everyClassKeepsToItsLength() throws IOException {
        Map<String, Integer> budgets = Map.of("TdmqHttpConsumer.java", 350, "TdmqHttpProducer.java", 200);
        Path sources = Path.of("src", "main", "java");
        List<String> tooLong;
        try (Stream<Path> files = Files.walk(sources)) {
            tooLong = files.filter(file -> file.toString().endsWith(".java"))
                    .filter(file -> !file.getFileName().toString().equals("TdmqHttpConfiguration.java"))
                    .filter(file -> lines(file) > budgets.getOrDefault(file.getFileName().toString(), 500))
                    .map(file -> file.getFileName() + " (" + lines(file) + " lines)").toList();
        }
        assertThat(tooLong).as("classes over their length (350 for the consumer, 200 for the producer, 500 else)")
                .isEmpty();
    }

    private static long lines(Path file) {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.count();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
