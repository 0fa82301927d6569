package io.parley.api.conversation;

import java.util.regex.Pattern;

/** The limits of API.md, shared by the HTTP layer and the aggregate. */
public final class ConversationLimits {

  public static final int TITLE_MAX = 200;
  public static final int TEXT_MAX = 10_000;
  public static final int PARTICIPANTS_MAX = 1_000;
  public static final int CLIENT_MESSAGE_ID_MAX = 128;

  /** User ids are JWT subjects: 1..64 characters of {@code [A-Za-z0-9._@-]}. */
  public static final String USER_ID_PATTERN = "[A-Za-z0-9._@-]{1,64}";

  public static final Pattern USER_ID = Pattern.compile(USER_ID_PATTERN);

  private ConversationLimits() {}

  public static boolean isValidUserId(String userId) {
    return userId != null && USER_ID.matcher(userId).matches();
  }
}
