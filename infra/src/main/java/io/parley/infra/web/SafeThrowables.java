package io.parley.infra.web;

import java.util.StringJoiner;

/**
 * Describes a failure for the logs without its messages: exception messages can carry personal data
 * (a JDBC driver quotes the SQL parameters, which include message text). Class names and the frame
 * each was thrown from are enough to find the bug.
 */
public final class SafeThrowables {

  private SafeThrowables() {}

  public static String describe(Throwable failure) {
    StringJoiner chain = new StringJoiner(" <- caused by ");
    int depth = 0;
    for (Throwable t = failure; t != null && depth < 10; t = t.getCause(), depth++) {
      StackTraceElement[] frames = t.getStackTrace();
      String state =
          t instanceof java.sql.SQLException sql && sql.getSQLState() != null
              ? " (SQLState " + sql.getSQLState() + ")"
              : "";
      chain.add(t.getClass().getName() + state + (frames.length > 0 ? " at " + frames[0] : ""));
      if (t.getCause() == t) {
        break;
      }
    }
    return chain.toString();
  }
}
