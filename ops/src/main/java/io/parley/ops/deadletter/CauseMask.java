package io.parley.ops.deadletter;

import java.util.regex.Pattern;

/**
 * Masks a dead letter's cause message before an engineer sees it. A cause message may quote SQL
 * parameters, row values or a user's text (personal data), so the mask is conservative: it keeps
 * the words that explain a failure (an exception's wording, names of things) and drops everything
 * that could be a value.
 *
 * <ol>
 *   <li>Only the first line (PostgreSQL puts details and hints on later lines).
 *   <li>Quoted literals ('…', "…", `…`, “…”, «…») and bracketed contents ((…), […], {…}, <…>)
 *       become {@code ?}: values, keys and ids are written that way by PostgreSQL, Axon and
 *       Jackson.
 *   <li>The right-hand side of {@code name=value} becomes {@code ?}.
 *   <li>Any remaining word that holds a digit, an {@code @}, a slash or a backslash becomes {@code
 *       ?} (ids, numbers, e-mail addresses, paths, URLs).
 *   <li>Runs of {@code ?} collapse to one; the result is cut to {@value #MAX_LENGTH} characters.
 * </ol>
 *
 * Words without digits outside quotes remain (a name written bare into a message would pass); the
 * cause's type is always shown in full and is the first thing to read.
 */
final class CauseMask {

  static final int MAX_LENGTH = 200;

  private static final Pattern QUOTED =
      Pattern.compile("'[^']*'?|\"[^\"]*\"?|`[^`]*`?|“[^”]*”?|«[^»]*»?");
  private static final Pattern BRACKETED =
      Pattern.compile("\\([^)]*\\)?|\\[[^\\]]*\\]?|\\{[^}]*\\}?|<[^>]*>?");
  private static final Pattern ASSIGNED = Pattern.compile("=\\S*");
  private static final Pattern VALUE_LIKE = Pattern.compile("\\S*[\\p{N}@/\\\\]\\S*");
  private static final Pattern REPEATED = Pattern.compile("\\?(?:[\\s,;:.=]*\\?)+");

  private CauseMask() {}

  static String mask(String message) {
    if (message == null || message.isBlank()) {
      return message == null ? null : "";
    }
    String line = message.strip().lines().findFirst().orElse("");
    line = QUOTED.matcher(line).replaceAll("?");
    line = BRACKETED.matcher(line).replaceAll("?");
    line = ASSIGNED.matcher(line).replaceAll("=?");
    line = VALUE_LIKE.matcher(line).replaceAll("?");
    line = REPEATED.matcher(line).replaceAll("?");
    line = line.replaceAll("\\p{Cntrl}", " ").replaceAll("\\s+", " ").strip();
    return line.length() <= MAX_LENGTH ? line : line.substring(0, MAX_LENGTH - 1) + "…";
  }
}
