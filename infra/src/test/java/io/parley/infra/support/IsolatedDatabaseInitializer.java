package io.parley.infra.support;

import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/** Like {@link TestDatabaseInitializer}, but on a fresh database of its own. */
public class IsolatedDatabaseInitializer
    implements ApplicationContextInitializer<ConfigurableApplicationContext> {

  @Override
  public void initialize(ConfigurableApplicationContext context) {
    TestDatabase.Connection db = TestDatabase.newDatabase();
    TestPropertyValues.of(
            "parley.db.url=" + db.url(),
            "parley.db.user=" + db.user(),
            "parley.db.password=" + db.password())
        .applyTo(context);
    TestDatabase.acquire();
    ((DefaultListableBeanFactory) context.getBeanFactory())
        .registerDisposableBean("testDatabaseRelease", TestDatabase::release);
  }
}
