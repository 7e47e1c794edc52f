/*
 * test_digest.c -- MD5, SHA-1, SHA-256 and xxHash64 (util/digest.c)
 * against reference values at every length where padding or block
 * handling changes (0, 55, 56, 63, 64, 65, 119, 120, ...): the values were
 * computed with Python's hashlib and the system's libxxhash.
 */
#include "check.h"
#include "util/digest.h"

static void hex(const unsigned char *p, int n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (int k = 0; k < n; k++) {
        out[2 * k] = digits[p[k] >> 4];
        out[2 * k + 1] = digits[p[k] & 15];
    }
    out[2 * n] = '\0';
}

static const struct {
    int n;
    const char *md5, *sha1, *sha256;
    uint64_t xxh, xxh_seeded;
} vectors[] = {
    {0, "d41d8cd98f00b204e9800998ecf8427e", "da39a3ee5e6b4b0d3255bfef95601890afd80709", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", 0xef46db3751d8e999ULL, 0x95584af7701f808dULL},
    {1, "8666683506aacd900bbd5a74ac4edf68", "9842926af7ca0a8cca12604f945414f07b01e13d", "084fed08b978af4d7d196a7446a86b58009e636b611db16211b65a9aadff29c5", 0x1f25c8d0bc1f4bb6ULL, 0x9102786a712ff044ULL},
    {3, "c9aee4810523ef8658121b8d492c6b41", "4201de9f98cb0a9b8cf52398be7802b55d45266a", "6ab0dba1f4f1dfbb37b4f9eeb092c09fca4900ad32bdcd147d8dde35d6c87c35", 0x31d2363f52e564c9ULL, 0xc6270ec97f034479ULL},
    {4, "12508583d13baad57b58e0726ea91e98", "a9ca94e2a9be52cdcef145facf2bad04e553cb0b", "42a146d9caf95c0d29b3ea8e3574f3c47758bec2cdcb99e6f10381de77ab6d54", 0x9bb64b7d66ee9fdaULL, 0x6a3181371bbc2026ULL},
    {7, "cba0d4629465fa7ec898b1c04cb03904", "8f61e051db8f5bfa67d8eff0c40cf868f68e70bb", "ab764db46a4b504f034619a51475e900366a04738693b13a742845930daf74e4", 0x9a7b149959ce60d8ULL, 0x6e596c9ec41c4637ULL},
    {8, "dab7d36c74183625ebceb4b3107d7e43", "cef03cc4db41ecf2c7956e8b06dc6b0b8015f260", "0865c1be255b33b69c4c1b7df3646cd2b7feab36f595044ab191176f1668d9ad", 0xdab99d95c6f90092ULL, 0xbbcc4601a016b1e4ULL},
    {31, "92d60eb7b58a4d66ad90b7935bfb33d5", "d21a51503aa50e23029493030a1d0704a84cb2ea", "721f1b54dd0f746ef819ba479fcd63b6117bfbe44acc432bf0cb0a639fd41766", 0xa2aa5f33cc4a6119ULL, 0x8086bf60119a7308ULL},
    {32, "37e883d2c833cc697211727308d724e7", "64b5168088b6692cfd749ab0b699a8b5b225189b", "ab5f8b5cb9435354c7b58603592d5faf081e17ceb05f7a7c67f4b666f12ca457", 0x23c3c17ef790fd97ULL, 0x244c3905cf320c2dULL},
    {33, "559f842ab304a042cfcd6fad8713c61a", "66f198bd988723981464f3e589667631c29d174d", "90f90857a7d1aad4925c6d5edbda0abfc8270e3fe5d6da2dd5eae75009cd7609", 0x50a7cfc7ba588784ULL, 0x1edc993457cf1fd8ULL},
    {55, "030157be00035d098644cfc70e5deaea", "8829dc293fb52f1477aa7323310a5bcf949ce4f8", "1deace58c745f3ecadde68a5923f494c3703fa73f0306483ccb898a5826e8d70", 0x03b1ad8c9ef3465dULL, 0x2108cee67e8394b7ULL},
    {56, "8e758df1ec8681fc06daa64253668f13", "3c440665799f6f245108a068a11e59507d4f9e2c", "06dbe23685750e4d3881ded95047abaf93fa8f9c5d3501dc57c717a72ff1398e", 0xb05db8b23a8e853dULL, 0xa0b0ae298df522a4ULL},
    {63, "4a805576b511a836fefee199fb797ae5", "5e2cdca8ef9552e40ad2228153e778e586eebc50", "47fb38b12335c9298d09280515c0666489a189d1554bb0ac1a0740806ce9d8b6", 0xf1438f15b9ed16e9ULL, 0x316b77ca83194aeeULL},
    {64, "7a0cbe2eab91195c56eae7f83588d243", "24d0ab86ac7542b26241687c97b79ae2cc22ac90", "dfa798724b1a8014994f363e5da7474ed26ce3757fb29e07aa47ad5a9352d37b", 0x2cd990a1beed6894ULL, 0x0bf7c277cb2a61adULL},
    {65, "940b4e909b09d4828b0eebe642613192", "f71ba60012ec8015b3d5ba56798c4ff43aeb8beb", "dd2eab5a5507d7717c63ce953d9ac61752c21e664425ad1227054722a0d97f69", 0xc763da59981e980eULL, 0x27fc3b5169c3d853ULL},
    {119, "c78b1987e67f5f382adb7de5fed3e55e", "ea44537c014a6f0d332e845ed7f9331ae45440c5", "c6e0f435df5d7d265baacca31e0602c00aa22fa6d3819aed664649294c743756", 0x8f626ade35e60093ULL, 0x0c2ad5c8df2f6badULL},
    {120, "4bebaf2293f8b2e434f1a4f024eea593", "939b2cbff515552d0bc4cfa0c332a57f9fce7736", "17eb8960823a644bde3065620bb9d45931fe8993fd8eb692a17aff0fd725db6a", 0xf82a3e7ba8b9c7b4ULL, 0x638fece3470e6b50ULL},
    {127, "72a9cc53dbae65d0146d626d46f6fb74", "f5b00f038e9a8ef4711336bba10726c553d46063", "2409a159329f4e770a7d8128130497abb1de01ffb6ad389d97d89ebbeeb7f02c", 0xf53de7bfec0d7554ULL, 0x5e562b2dec39cdbcULL},
    {128, "087b965e51e4b1200ebfd13e9761caa5", "0a1d410f25f3840e4498a2ad922fea55bb4b79da", "3a9c1e22e20578eebe442238f431befd688bd56698eb7c77d95d3f97d8f58207", 0xa0a0ae06f88ab606ULL, 0xc59f103d76cf8e1bULL},
    {200, "0a6ec2092f2f022704fa3d935dabb84a", "7f14732f2463d8b4456f01dcf111cd4572795f02", "58571ac1c94ce02ff78ca2556530759ff4b9d60ba9d41bee6bb65d0edea9f1c6", 0x1852812fa0b23ef3ULL, 0xd57eaee74a1a61d1ULL},
    {1000, "c90582fbbeb1275142915b85da61ade9", "576418509284cbe426fa53fa4aa8da5fee1ab095", "a9425c416f534025a4e2422bd14adba4ec3d4a68d10c3329be8df612964d2b6e", 0x021f7a7424085ea4ULL, 0x736f460054931cf1ULL},
};

void test_digest(void)
{
    unsigned char buf[1000], d[32];
    char text[65];
    for (int i = 0; i < 1000; i++)
        buf[i] = (unsigned char)((i * 7 + 3) % 251);
    for (size_t v = 0; v < sizeof vectors / sizeof vectors[0]; v++) {
        int n = vectors[v].n;
        aiq_md5(buf, (size_t)n, d);
        hex(d, 16, text);
        CHECK_EQ_STR(text, vectors[v].md5);
        aiq_sha1(buf, (size_t)n, d);
        hex(d, 20, text);
        CHECK_EQ_STR(text, vectors[v].sha1);
        aiq_sha256(buf, (size_t)n, d);
        hex(d, 32, text);
        CHECK_EQ_STR(text, vectors[v].sha256);
        CHECK(aiq_xxh64(buf, (size_t)n, 0) == vectors[v].xxh);
        CHECK(aiq_xxh64(buf, (size_t)n, 12345) == vectors[v].xxh_seeded);
    }
    /* the examples of Kusto's pages: hash("World") and hash_md5("World") */
    CHECK_EQ_I64((int64_t)aiq_xxh64("World", 5, 0), 1846988464401551951LL);
    aiq_md5("World", 5, d);
    hex(d, 16, text);
    CHECK_EQ_STR(text, "f5a7924e621e84c9280a9a27e1bcb7f6");
}
