package io.parley.infra;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module rule of CONVENTIONS.md: api-contracts depends on nothing of ours; command-side,
 * query-side and sagas depend on api-contracts only (never on each other or on infra), and none of
 * them uses Spring Boot.
 */
class ModuleDependencyRulesTest {

  static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.parley");
  }

  @Test
  void apiContractsDependOnNothingOfOurs() {
    noClasses()
        .that()
        .resideInAPackage("io.parley.api..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.parley.command..", "io.parley.query..", "io.parley.saga..", "io.parley.infra..")
        .check(classes);
  }

  @Test
  void commandSideDependsOnNoOtherSideNorInfra() {
    noClasses()
        .that()
        .resideInAPackage("io.parley.command..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.parley.query..",
            "io.parley.saga..",
            "io.parley.infra..",
            "org.springframework.boot..")
        .check(classes);
  }

  @Test
  void querySideDependsOnNoOtherSideNorInfra() {
    noClasses()
        .that()
        .resideInAPackage("io.parley.query..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.parley.command..",
            "io.parley.saga..",
            "io.parley.infra..",
            "org.springframework.boot..")
        .check(classes);
  }

  @Test
  void sagasDependOnNoOtherSideNorInfra() {
    noClasses()
        .that()
        .resideInAPackage("io.parley.saga..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.parley.command..",
            "io.parley.query..",
            "io.parley.infra..",
            "org.springframework.boot..")
        .check(classes);
  }

  @Test
  void apiContractsUseNoSpring() {
    noClasses()
        .that()
        .resideInAPackage("io.parley.api..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.springframework..")
        .check(classes);
  }
}
