/* Reading the shared fixtures, for every C test file that checks them. */
#include "fixtures.h"

#include <stdio.h>
#include <stdlib.h>

#include "runner.h"

cJSON *fixture_load(const char *name) {
    char path[1024];
    FILE *f;
    long size;
    char *text;
    cJSON *json;
    snprintf(path, sizeof path, "%s/%s", ctx.fixtures_dir, name);
    f = fopen(path, "rb");
    if (f == NULL) return NULL;
    fseek(f, 0, SEEK_END);
    size = ftell(f);
    fseek(f, 0, SEEK_SET);
    text = malloc((size_t)size + 1);
    if (text == NULL) {
        fclose(f);
        return NULL;
    }
    if (fread(text, 1, (size_t)size, f) != (size_t)size) size = 0;
    text[size] = 0;
    fclose(f);
    json = cJSON_Parse(text);
    free(text);
    return json;
}

const char *fixture_str(const cJSON *obj, const char *key) {
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsString(item) ? item->valuestring : NULL;
}

int64_t fixture_num(const cJSON *obj, const char *key) {
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsNumber(item) ? (int64_t)item->valuedouble : INT64_MIN;
}
