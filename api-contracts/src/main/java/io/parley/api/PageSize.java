package io.parley.api;

import io.parley.api.error.InvalidInputException;

/** The one rule for a list's {@code limit} parameter: absent means the default, else 1..max. */
public final class PageSize {

  private PageSize() {}

  /** {@code limit}, or {@code defaultSize} when absent; a 400 naming {@code limit} otherwise. */
  public static int of(Integer limit, int defaultSize, int max) {
    int size = limit == null ? defaultSize : limit;
    if (size < 1 || size > max) {
      throw new InvalidInputException("limit", "must be 1.." + max);
    }
    return size;
  }
}
