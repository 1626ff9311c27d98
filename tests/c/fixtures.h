/* Reading the shared fixtures (the JSON files in tests/fixtures) from the C suite. */
#ifndef IHUYI_TEST_FIXTURES_H
#define IHUYI_TEST_FIXTURES_H

#include <stdint.h>

#include <cjson/cJSON.h>

/* Parses tests/fixtures/<name> (NULL when missing or not JSON); free with cJSON_Delete. */
cJSON *fixture_load(const char *name);

/* obj[key] when it is a string, else NULL. */
const char *fixture_str(const cJSON *obj, const char *key);

/* obj[key] when it is a number, else INT64_MIN. */
int64_t fixture_num(const cJSON *obj, const char *key);

#endif
