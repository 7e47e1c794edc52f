/*
 * scalar_useragent.c -- parse_user_agent(ua, look_for): a documented
 * subset of the ua-parser rules Kusto's implementation is built on. It
 * knows the browsers, HTTP clients and systems an inference service sees
 * (README, "parse_user_agent"): Edge, Opera, Samsung Internet, Chrome
 * (desktop, mobile, iOS), Firefox (desktop, mobile, iOS), Safari (desktop,
 * mobile), Internet Explorer, AdobeAIR, Nokia's browser; curl, Wget,
 * Python Requests, python-httpx, aiohttp, Go-http-client, okhttp, Java,
 * Apache-HttpClient, PostmanRuntime, axios, node-fetch, the OpenAI and
 * Azure SDKs; Windows, Mac OS X, iOS, Android, Chrome OS, Ubuntu, Linux,
 * Symbian OS; iPhone, iPad, Mac, Nokia phones and generic Android phones.
 * What it does not know is "Other" with empty versions, as ua-parser
 * answers for an unknown agent.
 */
#include <ctype.h>
#include <stdio.h>
#include <strings.h>

#include "func/kernel.h"

/* A version: up to four numeric parts, as text ("" when absent). */
typedef struct Version {
    AiqStr part[4];
} Version;

/* Reads up to n parts of digits separated by any of seps at p. */
static Version read_version(const char *p, const char *end, const char *seps, int n)
{
    Version v = {{{"", 0}, {"", 0}, {"", 0}, {"", 0}}};
    for (int k = 0; k < n && p < end && isdigit((unsigned char)*p); k++) {
        const char *s = p;
        while (p < end && isdigit((unsigned char)*p))
            p++;
        v.part[k] = (AiqStr){s, (uint32_t)(p - s)};
        if (p + 1 < end && strchr(seps, *p) && isdigit((unsigned char)p[1]))
            p++;
        else
            break;
    }
    return v;
}

/* The text after token in s (case-insensitive), or NULL. */
static const char *after(AiqStr s, const char *token)
{
    size_t n = strlen(token);
    for (uint32_t k = 0; k + n <= s.len; k++)
        if (strncasecmp(s.ptr + k, token, n) == 0)
            return s.ptr + k + n;
    return NULL;
}

static bool has(AiqStr s, const char *token) { return after(s, token) != NULL; }

typedef struct Agent {
    const char *family;
    Version v;
} Agent;

/* A browser or client found by "Token/1.2.3". */
static bool by_token(AiqStr s, const char *token, const char *family, Agent *a)
{
    const char *p = after(s, token);
    if (!p)
        return false;
    a->family = family;
    a->v = read_version(p, s.ptr + s.len, ".", 3);
    return true;
}

static Agent find_browser(AiqStr s)
{
    Agent a = {"Other", {{{"", 0}, {"", 0}, {"", 0}, {"", 0}}}};
    /* most specific first: Edge and Opera also say Chrome; Chrome says Safari */
    static const struct {
        const char *token, *family;
    } clients[] = {
        {"Edg/", "Edge"}, {"EdgA/", "Edge Mobile"}, {"EdgiOS/", "Edge Mobile"}, {"Edge/", "Edge"},
        {"OPR/", "Opera"}, {"SamsungBrowser/", "Samsung Internet"}, {"CriOS/", "Chrome Mobile iOS"},
        {"FxiOS/", "Firefox iOS"}, {"AdobeAIR/", "AdobeAIR"}, {"curl/", "curl"}, {"Wget/", "Wget"},
        {"python-requests/", "Python Requests"}, {"python-httpx/", "python-httpx"}, {"aiohttp/", "aiohttp"},
        {"Go-http-client/", "Go-http-client"}, {"okhttp/", "okhttp"}, {"Apache-HttpClient/", "Apache-HttpClient"},
        {"PostmanRuntime/", "PostmanRuntime"}, {"axios/", "axios"}, {"node-fetch/", "node-fetch"},
        {"OpenAI/Python ", "OpenAI Python"}, {"OpenAI/NodeJS/", "OpenAI Node"}, {"azsdk-python-", "Azure SDK Python"},
        {"Java/", "Java"},
    };
    for (size_t k = 0; k < sizeof clients / sizeof clients[0]; k++)
        if (by_token(s, clients[k].token, clients[k].family, &a))
            return a;
    if (has(s, "Series60/") && (has(s, "Nokia") || has(s, "SymbianOS"))) {
        a.family = "Nokia OSS Browser";
        a.v = read_version(after(s, "Series60/"), s.ptr + s.len, ".", 3);
        return a;
    }
    bool mobile = has(s, "Mobile");
    if (by_token(s, "Chrome/", mobile ? "Chrome Mobile" : "Chrome", &a) ||
        by_token(s, "Firefox/", mobile ? "Firefox Mobile" : "Firefox", &a) ||
        (has(s, "Safari/") && by_token(s, "Version/", mobile ? "Mobile Safari" : "Safari", &a)) ||
        by_token(s, "MSIE ", "IE", &a) || (has(s, "Trident/") && by_token(s, "rv:", "IE", &a)))
        return a;
    return a;
}

/* Windows NT versions as ua-parser names them. */
static void windows_version(AiqStr nt, Version *v, const char **family)
{
    static const struct {
        const char *nt, *major, *minor;
    } map[] = {{"10.0", "10", ""}, {"6.3", "8", "1"}, {"6.2", "8", ""}, {"6.1", "7", ""}, {"6.0", "Vista", ""},
               {"5.1", "XP", ""}};
    *family = "Windows";
    *v = (Version){{{"", 0}, {"", 0}, {"", 0}, {"", 0}}};
    for (size_t k = 0; k < sizeof map / sizeof map[0]; k++)
        if (nt.len == strlen(map[k].nt) && memcmp(nt.ptr, map[k].nt, nt.len) == 0) {
            v->part[0] = (AiqStr){map[k].major, (uint32_t)strlen(map[k].major)};
            v->part[1] = (AiqStr){map[k].minor, (uint32_t)strlen(map[k].minor)};
        }
}

static Agent find_os(AiqStr s)
{
    Agent a = {"Other", {{{"", 0}, {"", 0}, {"", 0}, {"", 0}}}};
    const char *end = s.ptr + s.len, *p;
    if ((p = after(s, "Windows NT "))) {
        Version nt = read_version(p, end, ".", 2);
        AiqStr text = {p, (uint32_t)(nt.part[1].len ? nt.part[1].ptr + nt.part[1].len - p : nt.part[0].len)};
        windows_version(text, &a.v, &a.family);
    } else if ((p = after(s, "iPhone OS ")) || (p = after(s, "CPU OS "))) {
        a.family = "iOS";
        a.v = read_version(p, end, "_", 3);
    } else if ((p = after(s, "Mac OS X "))) {
        a.family = "Mac OS X";
        a.v = read_version(p, end, "_.", 3);
    } else if ((p = after(s, "Android "))) {
        a.family = "Android";
        a.v = read_version(p, end, ".", 3);
    } else if ((p = after(s, "CrOS "))) {
        a.family = "Chrome OS";
        const char *sp = memchr(p, ' ', (size_t)(end - p));
        a.v = read_version(sp ? sp + 1 : p, end, ".", 3);
    } else if ((p = after(s, "SymbianOS/"))) {
        a.family = "Symbian OS";
        a.v = read_version(p, end, ".", 3);
    } else if (has(s, "Ubuntu")) {
        a.family = "Ubuntu";
    } else if (has(s, "Windows")) {
        a.family = "Windows";
    } else if (has(s, "Linux")) {
        a.family = "Linux";
    }
    return a;
}

typedef struct Device {
    const char *family, *brand;
    AiqStr model;
} Device;

static Device find_device(AiqStr s)
{
    const char *p;
    if (has(s, "iPhone"))
        return (Device){"iPhone", "Apple", {"iPhone", 6}};
    if (has(s, "iPad"))
        return (Device){"iPad", "Apple", {"iPad", 4}};
    if (has(s, "Macintosh"))
        return (Device){"Mac", "Apple", {"Mac", 3}};
    if ((p = after(s, "Nokia")) && isalnum((unsigned char)*p)) {
        const char *m = p, *end = s.ptr + s.len;
        while (p < end && (isalnum((unsigned char)*p) || *p == '-'))
            p++;
        return (Device){NULL, "Nokia", {m, (uint32_t)(p - m)}};
    }
    if (has(s, "Android"))
        return (Device){"Generic Smartphone", "Generic", {"Smartphone", 10}};
    return (Device){"Other", "", {"", 0}};
}

static json_t *version_object(const char *family, const Version *v, int nparts, const char *const *names)
{
    json_t *o = json_object();
    json_object_set_new(o, "Family", json_string(family));
    for (int k = 0; k < nparts; k++)
        json_object_set_new(o, names[k], json_stringn(v->part[k].ptr, v->part[k].len));
    return o;
}

/* Which of browser, os, device the second argument asks for (a string or
 * an array of them); 0 when it names none. */
enum { WANT_BROWSER = 1, WANT_OS = 2, WANT_DEVICE = 4 };

static unsigned wanted_one(AiqStr w)
{
    return w.len == 7 && strncasecmp(w.ptr, "browser", 7) == 0 ? WANT_BROWSER
           : w.len == 2 && strncasecmp(w.ptr, "os", 2) == 0    ? WANT_OS
           : w.len == 6 && strncasecmp(w.ptr, "device", 6) == 0 ? WANT_DEVICE
                                                                 : 0;
}

static unsigned wanted(AiqEvalCtx *ctx, const AiqVector *v, uint32_t i)
{
    if (v->type != AIQ_TYPE_DYNAMIC)
        return wanted_one(STR(v, i));
    json_t *d = DYN(v, i), *el;
    if (json_is_string(d))
        return wanted_one(aiq_json_text(ctx, d));
    unsigned w = 0;
    size_t k;
    json_array_foreach(d, k, el) if (json_is_string(el)) w |= wanted_one(aiq_json_text(ctx, el));
    return w;
}

KERNEL(k_parse_user_agent)
{
    static const char *const browser_parts[] = {"MajorVersion", "MinorVersion", "Patch"};
    static const char *const os_parts[] = {"MajorVersion", "MinorVersion", "Patch", "PatchMinor"};
    FOR_ROWS(i) {
        AiqStr s = STR(a[0], i);
        unsigned w = wanted(ctx, a[1], i);
        json_t *o = json_object();
        if (w & WANT_BROWSER) {
            Agent b = find_browser(s);
            json_object_set_new(o, "Browser", version_object(b.family, &b.v, 3, browser_parts));
        }
        if (w & WANT_OS) {
            Agent os = find_os(s);
            json_object_set_new(o, "OperatingSystem", version_object(os.family, &os.v, 4, os_parts));
        }
        if (w & WANT_DEVICE) {
            Device d = find_device(s);
            json_t *dev = json_object();
            if (d.family) {
                json_object_set_new(dev, "Family", json_string(d.family));
            } else { /* "Nokia N81" from NokiaN81-3: the model up to its variant */
                const char *dash = memchr(d.model.ptr, '-', d.model.len);
                char fam[80];
                snprintf(fam, sizeof fam, "%s %.*s", d.brand, (int)(dash ? dash - d.model.ptr : d.model.len), d.model.ptr);
                json_object_set_new(dev, "Family", json_string(fam));
            }
            json_object_set_new(dev, "Brand", json_string(d.brand));
            json_object_set_new(dev, "Model", json_stringn(d.model.ptr, d.model.len));
            json_object_set_new(o, "Device", dev);
        }
        out->data.dyn[i] = aiq_eval_own(ctx, o);
    }
}
