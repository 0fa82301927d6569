package io.parley.infra;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module rules of CONVENTIONS.md, one test per module: {@code api-contracts} depends on nothing
 * of ours; {@code command-side}, {@code query-side} and {@code sagas} on {@code api-contracts} only
 * (never on each other, on the support modules or on infra) and use no Spring Boot, and so does
 * {@code ops}; {@code text-analysis} knows only {@code java.*} and {@code api-contracts}; {@code
 * axon-support} knows no Parley class at all. Only {@code infra} sees everything. No package of
 * {@code io.parley}, in any module, takes part in a cycle.
 */
class ModuleDependencyRulesTest {

  /** The base package of each module, as CONVENTIONS.md names them. */
  static final String API = "io.parley.api..";

  static final String COMMAND = "io.parley.command..";
  static final String QUERY = "io.parley.query..";
  static final String SAGA = "io.parley.saga..";
  static final String OPS = "io.parley.ops..";
  static final String TEXT = "io.parley.text..";
  static final String AXON_SUPPORT = "io.parley.axon..";
  static final String INFRA = "io.parley.infra..";
  static final String GENERATED_JOOQ = "io.parley.migrations.jooq..";

  static final List<String> MODULES =
      List.of(API, COMMAND, QUERY, SAGA, OPS, TEXT, AXON_SUPPORT, INFRA);

  static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.parley");
  }

  /** Every module's package but {@code own} and those {@code allowed}. */
  static String[] othersThan(String own, String... allowed) {
    return MODULES.stream()
        .filter(module -> !module.equals(own) && !Arrays.asList(allowed).contains(module))
        .toArray(String[]::new);
  }

  static String[] with(String[] packages, String... more) {
    return Stream.concat(Arrays.stream(packages), Arrays.stream(more)).toArray(String[]::new);
  }

  @Test
  void apiContractsDependOnNothingOfOursAndNoSpring() {
    noClasses()
        .that()
        .resideInAPackage(API)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(with(othersThan(API), "org.springframework.."))
        .check(classes);
  }

  @Test
  void commandSideDependsOnApiContractsOnlyAndNoSpringBoot() {
    noClasses()
        .that()
        .resideInAPackage(COMMAND)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(with(othersThan(COMMAND, API), "org.springframework.boot.."))
        .check(classes);
  }

  @Test
  void querySideDependsOnApiContractsOnlyAndNoSpringBoot() {
    noClasses()
        .that()
        .resideInAPackage(QUERY)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(with(othersThan(QUERY, API), "org.springframework.boot.."))
        .check(classes);
  }

  @Test
  void sagasDependOnApiContractsOnlyAndNoSpringBoot() {
    noClasses()
        .that()
        .resideInAPackage(SAGA)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(with(othersThan(SAGA, API), "org.springframework.boot.."))
        .check(classes);
  }

  @Test
  void opsDependsOnApiContractsOnlyAndNoSpringBoot() {
    noClasses()
        .that()
        .resideInAPackage(OPS)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(with(othersThan(OPS, API), "org.springframework.boot.."))
        .check(classes);
  }

  @Test
  void textAnalysisKnowsOnlyTheJdkAndApiContracts() {
    classes()
        .that()
        .resideInAPackage(TEXT)
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage("java..", TEXT, API)
        .check(classes);
  }

  @Test
  void axonSupportKnowsNoParleyClassAndNoSpringBoot() {
    noClasses()
        .that()
        .resideInAPackage(AXON_SUPPORT)
        .should()
        .dependOnClassesThat(
            resideInAnyPackage("io.parley..", "org.springframework.boot..")
                .and(not(resideInAPackage(AXON_SUPPORT))))
        .check(classes);
  }

  /**
   * Every package is a slice. jOOQ's generated classes ({@code Tables} and its {@code tables} and
   * {@code records} packages refer to each other) are the generator's layout, not ours, so their
   * references among themselves are left out.
   */
  @Test
  void noPackageTakesPartInACycle() {
    slices()
        .matching("io.parley.(**)")
        .should()
        .beFreeOfCycles()
        .ignoreDependency(resideInAPackage(GENERATED_JOOQ), resideInAPackage(GENERATED_JOOQ))
        .check(classes);
  }
}
