/*
 * dist_ziggurat — the exponential sampler of dist.h: Marsaglia and Tsang's
 * ziggurat ("The ziggurat method for generating random variables", J. Stat.
 * Softw. 5(8), 2000) for Exp(1), 256 regions, from 32-bit words of the
 * stream. Part of the dist module: dist.h's inline dist_exponential_draw
 * reads these tables and calls dist_exp1_slow off its fast path.
 *
 * Geometry. Regions 1..255 are rectangles of equal area v stacked under
 * f(x) = e^-x: region i spans [0, x_i] x [f(x_i), f(x_{i-1})], with x_0 = 0
 * at the top and x_255 = R at the bottom; region 0 is the base strip
 * [0, R] x [0, f(R)] together with the tail x > R, also of area v, drawn as
 * a strip of width v / f(R). R and v solve v = (R + 1) e^-R = x_1 (1 - e^-x_1)
 * with x_{i-1} = -log(v / x_i + e^-x_i): R = 7.69711747013104972,
 * v = 3.94965982258155722e-3, the values of the paper.
 *
 * Draw. A word u gives the region i = u & 255 (uniform: every region has area
 * v) and j = u >> 8, 24 bits, independent of i (the paper took both from the
 * same bits; here they do not overlap). The candidate x = (j + 1/2) w_i with
 * w_i = x_i / 2^24 (region 0: (v / f(R)) / 2^24) is uniform on the width of
 * the region, never 0, on a grid of 2^24 points. It lies under the curve for
 * sure when x < x_{i-1} (region 0: x < R): j < k_i. That fast path returns
 * 97.8% of draws with one word and no logarithm. Otherwise
 * dist_exp1_slow decides exactly: region 0 returns x if x < R, else
 * R + Exp(1) (memoryless tail; one more uniform, by inversion); regions 1..255
 * accept x when a uniform height in the rectangle falls under e^-x (one more
 * uniform and an exp), else start again from a fresh word.
 *
 * Tables. k, w and f are exact roundings of 50-digit values (mpmath), so they
 * are the same bytes in every build; tests/test_dist.c recomputes them from
 * the recurrence above. k_i is one below floor(x_{i-1} / x_i 2^24 - 1/2), so
 * the fast test is conservative after rounding (region 1's k is 0: its top
 * is the curve itself and every draw there takes the slow path).
 */
#include <math.h>

#include "dist.h"

#define ZIG_R 0x1.ec9d9297ebb83p+2 /* 7.69711747013104972: the base strip's right end */

/* j < dist_zig_k[i]: the candidate lies under the curve without computing it. */
const uint32_t dist_zig_k[DIST_ZIG_N] = {
    14848159u, 0u,        10218205u, 12810154u, 13950392u, 14584126u, 14985446u, 15261679u,
    15463133u, 15616421u, 15736909u, 15834074u, 15914071u, 15981070u, 16037995u, 16086956u,
    16129510u, 16166838u, 16199843u, 16229236u, 16255578u, 16279319u, 16300825u, 16320398u,
    16338287u, 16354698u, 16369809u, 16383765u, 16396696u, 16408708u, 16419896u, 16430342u,
    16440117u, 16449282u, 16457893u, 16465998u, 16473639u, 16480856u, 16487682u, 16494147u,
    16500279u, 16506103u, 16511640u, 16516912u, 16521936u, 16526729u, 16531306u, 16535682u,
    16539868u, 16543876u, 16547718u, 16551403u, 16554939u, 16558336u, 16561602u, 16564742u,
    16567765u, 16570676u, 16573481u, 16576185u, 16578793u, 16581311u, 16583741u, 16586089u,
    16588359u, 16590553u, 16592675u, 16594729u, 16596717u, 16598642u, 16600507u, 16602314u,
    16604065u, 16605763u, 16607410u, 16609008u, 16610558u, 16612063u, 16613524u, 16614943u,
    16616321u, 16617659u, 16618959u, 16620223u, 16621451u, 16622645u, 16623806u, 16624934u,
    16626031u, 16627098u, 16628136u, 16629145u, 16630127u, 16631082u, 16632011u, 16632914u,
    16633793u, 16634648u, 16635479u, 16636288u, 16637075u, 16637840u, 16638584u, 16639307u,
    16640010u, 16640694u, 16641358u, 16642004u, 16642631u, 16643240u, 16643832u, 16644406u,
    16644963u, 16645504u, 16646028u, 16646536u, 16647028u, 16647505u, 16647967u, 16648414u,
    16648846u, 16649263u, 16649666u, 16650055u, 16650429u, 16650790u, 16651138u, 16651471u,
    16651792u, 16652099u, 16652393u, 16652674u, 16652942u, 16653198u, 16653441u, 16653671u,
    16653888u, 16654093u, 16654286u, 16654466u, 16654634u, 16654789u, 16654932u, 16655063u,
    16655182u, 16655288u, 16655382u, 16655464u, 16655533u, 16655590u, 16655635u, 16655666u,
    16655686u, 16655692u, 16655686u, 16655667u, 16655636u, 16655591u, 16655532u, 16655461u,
    16655376u, 16655277u, 16655165u, 16655038u, 16654897u, 16654742u, 16654572u, 16654388u,
    16654188u, 16653972u, 16653741u, 16653494u, 16653230u, 16652950u, 16652652u, 16652337u,
    16652004u, 16651653u, 16651282u, 16650893u, 16650483u, 16650054u, 16649603u, 16649130u,
    16648635u, 16648118u, 16647576u, 16647010u, 16646419u, 16645802u, 16645157u, 16644484u,
    16643782u, 16643050u, 16642286u, 16641490u, 16640659u, 16639793u, 16638890u, 16637948u,
    16636966u, 16635941u, 16634872u, 16633756u, 16632591u, 16631376u, 16630106u, 16628779u,
    16627392u, 16625942u, 16624424u, 16622836u, 16621172u, 16619428u, 16617600u, 16615680u,
    16613664u, 16611544u, 16609313u, 16606963u, 16604485u, 16601870u, 16599105u, 16596180u,
    16593079u, 16589789u, 16586291u, 16582566u, 16578592u, 16574343u, 16569792u, 16564905u,
    16559643u, 16553963u, 16547813u, 16541131u, 16533845u, 16525870u, 16517100u, 16507410u,
    16496643u, 16484606u, 16471056u, 16455678u, 16438067u, 16417680u, 16393785u, 16365355u,
    16330912u, 16288238u, 16233846u, 16161891u, 16061743u, 15911692u, 15658927u, 15129197u,
};

/* w_i: the candidate is (j + 1/2) w_i, days per unit of j for Exp(1). */
const double dist_zig_w[DIST_ZIG_N] = {
    0x1.164ec94bf5dc1p-21, 0x1.0589d8b5d4119p-28, 0x1.ad6b2495b4d2bp-28, 0x1.19335a95b8dbap-27,
    0x1.522e6e54a2a73p-27, 0x1.85090fbc27a80p-27, 0x1.b38d1ef79b7ccp-27, 0x1.decd8b76dbd98p-27,
    0x1.03bf049c65c3cp-26, 0x1.170db24d6f670p-26, 0x1.2980290da2633p-26, 0x1.3b388fe3d6ecap-26,
    0x1.4c515c60bfe21p-26, 0x1.5cdf89d024ac3p-26, 0x1.6cf40f0a72bbdp-26, 0x1.7c9cdda17d019p-26,
    0x1.8be5954d3606fp-26, 0x1.9ad80552237d2p-26, 0x1.a97c8be5d5203p-26, 0x1.b7da5dddda3c4p-26,
    0x1.c5f7bd78c3f89p-26, 0x1.d3da24df17c36p-26, 0x1.e186678f1735ap-26, 0x1.ef00ccf5f4faap-26,
    0x1.fc4d25d683209p-26, 0x1.04b76ed6a7558p-25, 0x1.0b348479b80fcp-25, 0x1.119f38749f5afp-25,
    0x1.17f8ceb4bdfa0p-25, 0x1.1e426e93e49e7p-25, 0x1.247d26538ff2ep-25, 0x1.2aa9ee123680bp-25,
    0x1.30c9aa526da4bp-25, 0x1.36dd2e26d8202p-25, 0x1.3ce53d12162a0p-25, 0x1.42e28ca706748p-25,
    0x1.48d5c5f35e712p-25, 0x1.4ebf86bcd0b93p-25, 0x1.54a0629786f4dp-25, 0x1.5a78e3db8befdp-25,
    0x1.60498c7dd2ecfp-25, 0x1.6612d6d0c68e0p-25, 0x1.6bd5362faa944p-25, 0x1.71911797990bbp-25,
    0x1.7746e23077973p-25, 0x1.7cf6f7c7e8172p-25, 0x1.82a1b53fed599p-25, 0x1.884772f2be1ecp-25,
    0x1.8de8850d0c52ap-25, 0x1.93853bdfda244p-25, 0x1.991de42ad1338p-25, 0x1.9eb2c75ff03bfp-25,
    0x1.a4442be14884ap-25, 0x1.a9d255396d261p-25, 0x1.af5d844f224c9p-25, 0x1.b4e5f794c979bp-25,
    0x1.ba6beb33f8f89p-25, 0x1.bfef99359fe99p-25, 0x1.c57139a70d29fp-25, 0x1.caf102bc25adbp-25,
    0x1.d06f28ef0e6fbp-25, 0x1.d5ebdf1d86b8dp-25, 0x1.db6756a429057p-25, 0x1.e0e1bf77c31fep-25,
    0x1.e65b483cf1044p-25, 0x1.ebd41e5e21b62p-25, 0x1.f14c6e202949fp-25, 0x1.f6c462b57feb5p-25,
    0x1.fc3c26504a9a1p-25, 0x1.00d9f119a3cd9p-24, 0x1.0395df60db162p-24, 0x1.0651f1c7276f8p-24,
    0x1.090e3bb4b0072p-24, 0x1.0bcad03710137p-24, 0x1.0e87c207a2f66p-24, 0x1.114523917ac15p-24,
    0x1.140306f707dbep-24, 0x1.16c17e1777ffbp-24, 0x1.19809a93d2396p-24, 0x1.1c406dd3d5283p-24,
    0x1.1f01090a9c4e2p-24, 0x1.21c27d3b10e05p-24, 0x1.2484db3c2a329p-24, 0x1.274833bd0189fp-24,
    0x1.2a0c9748bcdaap-24, 0x1.2cd2164a53b5dp-24, 0x1.2f98c11031721p-24, 0x1.3260a7cfb7611p-24,
    0x1.3529daa8a1ba1p-24, 0x1.37f469a851af0p-24, 0x1.3ac064ccfeffcp-24, 0x1.3d8ddc08d336dp-24,
    0x1.405cdf44f09c4p-24, 0x1.432d7e6466cd0p-24, 0x1.45ffc94716ca7p-24, 0x1.48d3cfcc883c4p-24,
    0x1.4ba9a1d6b18a4p-24, 0x1.4e814f4cb45eap-24, 0x1.515ae81d900fbp-24, 0x1.54367c42cb5f8p-24,
    0x1.57141bc316f27p-24, 0x1.59f3d6b4e9cf9p-24, 0x1.5cd5bd4119335p-24, 0x1.5fb9dfa56cf26p-24,
    0x1.62a04e3731a2ep-24, 0x1.65891965c9b8cp-24, 0x1.687451bd3ebeep-24, 0x1.6b6207e8d3cdfp-24,
    0x1.6e524cb59a608p-24, 0x1.714531150a9fbp-24, 0x1.743ac61fa041cp-24, 0x1.77331d177d130p-24,
    0x1.7a2e476b1240ap-24, 0x1.7d2c56b7d17f7p-24, 0x1.802d5ccce7277p-24, 0x1.83316badfe62ap-24,
    0x1.86389596108e7p-24, 0x1.8942ecfa40f54p-24, 0x1.8c50848cc6094p-24, 0x1.8f616f3fe1513p-24,
    0x1.9275c048e73e1p-24, 0x1.958d8b235828ap-24, 0x1.98a8e3940bbf4p-24, 0x1.9bc7ddac7035dp-24,
    0x1.9eea8dcdde951p-24, 0x1.a21108ad0592dp-24, 0x1.a53b63556c690p-24, 0x1.a869b32d0f30fp-24,
    0x1.ab9c0df81657ap-24, 0x1.aed289dcaacffp-24, 0x1.b20d3d66e8bb5p-24, 0x1.b54c3f8cf2542p-24,
    0x1.b88fa7b324fb6p-24, 0x1.bbd78db072610p-24, 0x1.bf2409d2dfd85p-24, 0x1.c27534e42e02dp-24,
    0x1.c5cb282eab1a4p-24, 0x1.c925fd82323fbp-24, 0x1.cc85cf395a56cp-24, 0x1.cfeab83ed7180p-24,
    0x1.d354d4130f2adp-24, 0x1.d6c43ed1ea3fep-24, 0x1.da391538da50ap-24, 0x1.ddb374ad2357fp-24,
    0x1.e1337b426509bp-24, 0x1.e4b947c16a452p-24, 0x1.e844f9af4237fp-24, 0x1.ebd6b154a7678p-24,
    0x1.ef6e8fc5b9168p-24, 0x1.f30cb6ea0bc7fp-24, 0x1.f6b1498515ed0p-24, 0x1.fa5c6b3efe1e5p-24,
    0x1.fe0e40add09d8p-24, 0x1.00e377af911d4p-23, 0x1.02c34ef11391bp-23, 0x1.04a6b9e9224a3p-23,
    0x1.068dccf1126dbp-23, 0x1.08789cf3aad0fp-23, 0x1.0a673f733c819p-23, 0x1.0c59ca900946fp-23,
    0x1.0e50550efcfb7p-23, 0x1.104af660befcep-23, 0x1.1249c6a92154ap-23, 0x1.144cdec6f3a2bp-23,
    0x1.1654585c404c1p-23, 0x1.18604dd6fae9ep-23, 0x1.1a70da7a27820p-23, 0x1.1c861a6782a5ap-23,
    0x1.1ea02aa9b3370p-23, 0x1.20bf293f0f4a2p-23, 0x1.22e33524fe550p-23, 0x1.250c6e6403bbap-23,
    0x1.273af61c7daa6p-23, 0x1.296eee942532bp-23, 0x1.2ba87b445db51p-23, 0x1.2de7c0e962d70p-23,
    0x1.302ce59265965p-23, 0x1.327810b2aa7d0p-23, 0x1.34c96b33bc965p-23, 0x1.37211f88ca856p-23,
    0x1.397f59c345143p-23, 0x1.3be447a8d8b83p-23, 0x1.3e5018cadded0p-23, 0x1.40c2fe9f5eeadp-23,
    0x1.433d2c9bd42f8p-23, 0x1.45bed851bc92cp-23, 0x1.4848398d39432p-23, 0x1.4ad98a75da14cp-23,
    0x1.4d7307b1cb127p-23, 0x1.5014f08b99508p-23, 0x1.52bf871acaab2p-23, 0x1.5573106f8a75ap-23,
    0x1.582fd4c1b4461p-23, 0x1.5af61fa38e107p-23, 0x1.5dc640388bd9ep-23, 0x1.60a0897081879p-23,
    0x1.63855247b2e94p-23, 0x1.6674f60c3f432p-23, 0x1.696fd4a9748eep-23, 0x1.6c7652f9a7b1ep-23,
    0x1.6f88db1f42507p-23, 0x1.72a7dce5cd218p-23, 0x1.75d3ce2bd71c3p-23, 0x1.790d2b56b71f9p-23,
    0x1.7c5477d1476d3p-23, 0x1.7faa3e96e1412p-23, 0x1.830f12cc0bec3p-23, 0x1.8683906687342p-23,
    0x1.8a085ce695babp-23, 0x1.8d9e2823b3695p-23, 0x1.9145ad2f37544p-23, 0x1.94ffb34fc2a0ep-23,
    0x1.98cd0f18d1ad8p-23, 0x1.9caea3a24d9eap-23, 0x1.a0a563e49f178p-23, 0x1.a4b2543e84c3bp-23,
    0x1.a8d68c2ad86eap-23, 0x1.ad13382d845c4p-23, 0x1.b1699c003b60ap-23, 0x1.b5db15091ea0fp-23,
    0x1.ba691d276da5ep-23, 0x1.bf154de4bef77p-23, 0x1.c3e1641c2e0a7p-23, 0x1.c8cf442c8c8f4p-23,
    0x1.cde0fecf2a97fp-23, 0x1.d318d6b2738c5p-23, 0x1.d87946fec3becp-23, 0x1.de050af4ef19fp-23,
    0x1.e3bf26e190960p-23, 0x1.e9aaf2af383c1p-23, 0x1.efcc26750ea4ap-23, 0x1.f626e9791f7a7p-23,
    0x1.fcbfe43f6c6e5p-23, 0x1.01ce2b362ec2ep-22, 0x1.056118bf58eefp-22, 0x1.091c1cdcba54ep-22,
    0x1.0d031785d48a0p-22, 0x1.111a8034392a6p-22, 0x1.156786775442ap-22, 0x1.19f03bcb3c2d6p-22,
    0x1.1ebbca0c9fa7cp-22, 0x1.23d2bb659919fp-22, 0x1.293f5ae49aaa5p-22, 0x1.2f0e38a4411f0p-22,
    0x1.354ee27ccf75ep-22, 0x1.3c14ec7c8b861p-22, 0x1.4379766e41362p-22, 0x1.4b9d7cd4751d1p-22,
    0x1.54ad83ccf73f6p-22, 0x1.5ee7ae17313d2p-22, 0x1.6aa676d4bbf72p-22, 0x1.78750d6eac62fp-22,
    0x1.8939fe6f2ed19p-22, 0x1.9e9dc0d487b85p-22, 0x1.bc39e51da71fcp-22, 0x1.ec9d9297ebb83p-22,
};

/* f_i = e^-x_i, f_0 = 1: the rectangles' heights run from f_i to f_{i-1}. */
static const double zig_f[DIST_ZIG_N] = {
    0x1.0000000000000p+0, 0x1.e0545e5881137p-1,  0x1.cd0a65081fff1p-1,  0x1.be5007beb7b27p-1,
    0x1.b210f0ee67f2ap-1, 0x1.a76baa562fae7p-1,  0x1.9de9715556d9bp-1,  0x1.95431c455aa39p-1,
    0x1.8d4a376d3d22fp-1, 0x1.85de87806c5b8p-1,  0x1.7ee8a2d243126p-1,  0x1.7856e9b09d47ep-1,
    0x1.721bb5ba94b63p-1, 0x1.6c2c3498418c6p-1,  0x1.667fa6d4f5c06p-1,  0x1.610edc1a7af66p-1,
    0x1.5bd3d694cac75p-1, 0x1.56c9882da8773p-1,  0x1.51eba1578899ap-1,  0x1.4d366c151f8afp-1,
    0x1.48a6afb8ee069p-1, 0x1.44399afa8e125p-1,  0x1.3fecb2bb18b80p-1,  0x1.3bbdc44e1d114p-1,
    0x1.37aada708ddd9p-1, 0x1.33b23450e6318p-1,  0x1.2fd23e345da5ep-1,  0x1.2c098b61f4f24p-1,
    0x1.2856d111132bdp-1, 0x1.24b8e228c50a3p-1,  0x1.212eaba813ec8p-1,  0x1.1db7319877b89p-1,
    0x1.1a518c71e3b25p-1, 0x1.16fce6dce6feep-1,  0x1.13b87bc33169cp-1,  0x1.108394a1cc38dp-1,
    0x1.0d5d8812b1e2bp-1, 0x1.0a45b8854d02ap-1,  0x1.073b931ee3b7dp-1,  0x1.043e8ebd26548p-1,
    0x1.014e2b160f324p-1, 0x1.fcd3dfe214576p-2,  0x1.f722d8ebfc5fap-2,  0x1.f1886d1eb424dp-2,
    0x1.ec03d4b969d90p-2, 0x1.e6945367dd351p-2,  0x1.e139375e137fcp-2,  0x1.dbf1d88a7210cp-2,
    0x1.d6bd97db9ed7ap-2, 0x1.d19bde97e1a0bp-2,  0x1.cc8c1dc40e092p-2,  0x1.c78dcd983fb60p-2,
    0x1.c2a06d00ea583p-2, 0x1.bdc3812aeeeb5p-2,  0x1.b8f6951990b88p-2,  0x1.b43939454806fp-2,
    0x1.af8b03428ef5fp-2, 0x1.aaeb8d6fdf6e5p-2,  0x1.a65a76aa30140p-2,  0x1.a1d76207521f4p-2,
    0x1.9d61f695a3792p-2, 0x1.98f9df2097ba8p-2,  0x1.949ec9f9a8110p-2,  0x1.905068c545d04p-2,
    0x1.8c0e704b75d39p-2, 0x1.87d8984bc3f8cp-2,  0x1.83ae9b5446138p-2,  0x1.7f90369b6ce59p-2,
    0x1.7b7d29dc6801ep-2, 0x1.77753735e72e3p-2,  0x1.7378230b08deap-2,  0x1.6f85b3e649e9dp-2,
    0x1.6b9db25e4e99cp-2, 0x1.67bfe8fc60d9fp-2,  0x1.63ec2424827e4p-2,  0x1.602231fef5876p-2,
    0x1.5c61e2631ee6cp-2, 0x1.58ab06c3aa9efp-2,  0x1.54fd721bda3e7p-2,  0x1.5158f8dde89f5p-2,
    0x1.4dbd70e26f91dp-2, 0x1.4a2ab158bdad3p-2,  0x1.46a092b80beefp-2,  0x1.431eeeb1841e2p-2,
    0x1.3fa5a0230a14ep-2, 0x1.3c34830abb285p-2,  0x1.38cb747b17defp-2,  0x1.356a528fcd0ddp-2,
    0x1.3210fc6312435p-2, 0x1.2ebf520394270p-2,  0x1.2b75346ae2262p-2,  0x1.2832857457629p-2,
    0x1.24f727d4776fdp-2, 0x1.21c2ff10b7effp-2,  0x1.1e95ef77b09dbp-2,  0x1.1b6fde19abc5ap-2,
    0x1.1850b0c191982p-2, 0x1.15384dee291efp-2,  0x1.12269ccba9fbap-2,  0x1.0f1b852d9a66cp-2,
    0x1.0c16ef88f5333p-2, 0x1.0918c4ee93e13p-2,  0x1.0620ef05d90d2p-2,  0x1.032f580797c2cp-2,
    0x1.0043eab93476ap-2, 0x1.fabd24cff9354p-3,  0x1.f4fe75c963e7ep-3,  0x1.ef4ba0fe8e09bp-3,
    0x1.e9a48005940f2p-3, 0x1.e408ed62f83a7p-3,  0x1.de78c48224f39p-3,  0x1.d8f3e1ae3eeb8p-3,
    0x1.d37a220b431fdp-3, 0x1.ce0b638f6d09fp-3,  0x1.c8a784fce1802p-3,  0x1.c34e65db9afeep-3,
    0x1.bdffe67394435p-3, 0x1.b8bbe7c72e4a5p-3,  0x1.b3824b8dcef3ep-3,  0x1.ae52f42eb5b0bp-3,
    0x1.a92dc4bc03c49p-3, 0x1.a412a0edf5cbcp-3,  0x1.9f016d1e4c512p-3,  0x1.99fa0e43e1623p-3,
    0x1.94fc69ee692a1p-3, 0x1.900866425bb79p-3,  0x1.8b1de9f5062d5p-3,  0x1.863cdc48c1af9p-3,
    0x1.816525094e7e6p-3, 0x1.7c96ac8851baep-3,  0x1.77d15b99f46fep-3,  0x1.73151b91a2839p-3,
    0x1.6e61d63ee84eap-3, 0x1.69b775ea6da28p-3,  0x1.6515e5530d1acp-3,  0x1.607d0fab06a31p-3,
    0x1.5bece0954c2b6p-3, 0x1.57654422e78f5p-3,  0x1.52e626d078c49p-3,  0x1.4e6f7583cb6fap-3,
    0x1.4a011d8983096p-3, 0x1.459b0c92dccc6p-3,  0x1.413d30b386a9ap-3,  0x1.3ce7785f8a905p-3,
    0x1.3899d2694d5c9p-3, 0x1.34542dffa0cafp-3,  0x1.30167aabe7d6ep-3,  0x1.2be0a8504cf34p-3,
    0x1.27b2a72609940p-3, 0x1.238c67bbbe878p-3,  0x1.1f6ddaf3dca65p-3,  0x1.1b56f2031d666p-3,
    0x1.17479e6f0ae78p-3, 0x1.133fd20c9712fp-3,  0x1.0f3f7efec1720p-3,  0x1.0b4697b54b62fp-3,
    0x1.07550eeb7a5bep-3, 0x1.036ad7a6e7f04p-3,  0x1.ff0fca6cbea8dp-4,  0x1.f758566190414p-4,
    0x1.efaf3ae83c33cp-4, 0x1.e8146048eb9ccp-4,  0x1.e087af561bafbp-4,  0x1.d909116ad9398p-4,
    0x1.d198706914dd7p-4, 0x1.ca35b6b80fd57p-4,  0x1.c2e0cf42e10afp-4,  0x1.bb99a5771268fp-4,
    0x1.b460254356548p-4, 0x1.ad343b1655465p-4,  0x1.a615d3dd938b7p-4,  0x1.9f04dd046f428p-4,
    0x1.9801447336b70p-4, 0x1.910af88e574b9p-4,  0x1.8a21e835a533bp-4,  0x1.834602c3bc4bap-4,
    0x1.7c77380d7a6f3p-4, 0x1.75b5786193c1ep-4,  0x1.6f00b488416b6p-4,  0x1.6858ddc30b620p-4,
    0x1.61bde5ccadef7p-4, 0x1.5b2fbed91bb3ep-4,  0x1.54ae5b959d036p-4,  0x1.4e39af290d929p-4,
    0x1.47d1ad343985cp-4, 0x1.417649d25b10ep-4,  0x1.3b277999b9f9ep-4,  0x1.34e5319c6e718p-4,
    0x1.2eaf676948dd1p-4, 0x1.2886110ce0570p-4,  0x1.22692512c9d8cp-4,  0x1.1c589a86fa340p-4,
    0x1.165468f755392p-4, 0x1.105c88756ca50p-4,  0x1.0a70f19871b3bp-4,  0x1.04919d7f5c817p-4,
    0x1.fd7d0ba699676p-5, 0x1.f1ef49944e834p-5,  0x1.e679ea52eb2e5p-5,  0x1.db1ce49315810p-5,
    0x1.cfd83031e794ap-5, 0x1.c4abc640721e9p-5,  0x1.b997a10bed985p-5,  0x1.ae9bbc26a8084p-5,
    0x1.a3b81471bf138p-5, 0x1.98eca827b7c4cp-5,  0x1.8e3976e80776dp-5,  0x1.839e81c3a396bp-5,
    0x1.791bcb4ab089ep-5, 0x1.6eb1579b6af52p-5,  0x1.645f2c726a041p-5,  0x1.5a25513c5d2cap-5,
    0x1.5003cf296c5ebp-5, 0x1.45fab14266b19p-5,  0x1.3c0a047ff18ffp-5,  0x1.3231d7e3f14aep-5,
    0x1.28723c956c00cp-5, 0x1.1ecb45ff312d4p-5,  0x1.153d09f19b3a1p-5,  0x1.0bc7a0c7cd651p-5,
    0x1.026b2590dfaeep-5, 0x1.f24f6c7af9890p-6,  0x1.dffae7a517468p-6,  0x1.cdd9054331b0cp-6,
    0x1.bbea150fa5870p-6, 0x1.aa2e6e6924e9bp-6,  0x1.98a670f132a48p-6,  0x1.8752853ec9967p-6,
    0x1.76331da87fc96p-6, 0x1.6548b72a24077p-6,  0x1.5493da6ab0251p-6,  0x1.44151ce87f0bep-6,
    0x1.33cd225315d84p-6, 0x1.23bc9e1b93a32p-6,  0x1.13e4554725f5fp-6,  0x1.04452091e02f0p-6,
    0x1.e9bfdde89c7cep-7, 0x1.cb6b9146e2757p-7,  0x1.ad8fa5542c92dp-7,  0x1.902ea688fa7bdp-7,
    0x1.734b6e6aa74f5p-7, 0x1.56e930be416cbp-7,  0x1.3b0b8c1516f62p-7,  0x1.1fb69edb37671p-7,
    0x1.04ef2295fd7f9p-7, 0x1.d5751fa745dc5p-8,  0x1.a23e9d4974836p-8,  0x1.7049f37ec3620p-8,
    0x1.3fa97cee322fdp-8, 0x1.1073d69574043p-8,  0x1.c58b381cd4b11p-9,  0x1.6d888f3a1feffp-9,
    0x1.1946ba8e1a324p-9, 0x1.92bb5540c3e25p-10, 0x1.fb20af78dfcb9p-11, 0x1.dc31c329f0b4bp-12,
};

double dist_exponential_inverse(gsl_rng *r, double mean)
{
    return -mean * log(1.0 - rng_uniform(r));
}

double dist_exp1_slow(gsl_rng *r, uint32_t u)
{
    for (;;) {
        uint32_t i = u & (DIST_ZIG_N - 1), j = u >> 8;
        double x = ((double)j + 0.5) * dist_zig_w[i];
        if (j < dist_zig_k[i])
            return x;
        if (i == 0)
            return x < ZIG_R ? x : ZIG_R + dist_exponential_inverse(r, 1.0);
        if (zig_f[i] + rng_uniform(r) * (zig_f[i - 1] - zig_f[i]) < exp(-x))
            return x;
        u = rng_word(r);
    }
}
