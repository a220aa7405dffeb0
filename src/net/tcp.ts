/**
 * TCP timing constants the connection model uses, with where they come from.
 *
 * RETRANSMIT_GIVE_UP_US: data sent into a partition stays unacknowledged; Linux retransmits it
 * with exponential backoff and gives up after tcp_retries2 = 15 retries, about 924.6 s with the
 * default RTO bounds (200 ms .. 120 s). Only then does the sending side see the connection break
 * (ETIMEDOUT). The receiving side learns nothing until it sends and gets an RST back.
 *
 * SYN_GIVE_UP_US: a connect() into a blackhole is retried tcp_syn_retries = 6 times (1+2+4+8+16+32
 * s, then 64 s to give up), about 127 s, before connect fails with ETIMEDOUT. Sentinel sets no
 * connect timeout of its own (sentinelReconnectInstance() calls redisAsyncConnectBind() without
 * one), so this is what a Sentinel sees.
 */
export const RETRANSMIT_GIVE_UP_US = 924_600_000;
export const SYN_GIVE_UP_US = 127_000_000;

/**
 * Socket buffers of one connection, per direction, as measured on this project's machine (Linux,
 * loopback, Redis 7.0.15; scripts/measure-buffers.sh, test/conformance/REAL-MEASUREMENTS.md): a
 * master streaming to a SIGSTOPped replica stops with Recv-Q 128,944 bytes on the replica's socket
 * and Send-Q 3,785,728 bytes on its own. The receive buffer stays near tcp_rmem's default (131072)
 * because autotuning grows it only as the application reads, and a stopped reader reads nothing;
 * the send buffer was autotuned toward tcp_wmem's maximum (4194304) while the stream flowed. The
 * rest of what Redis writes stays in its own output buffer (the `omem` of CLIENT LIST). The same
 * figures are used for every link: on a LAN autotuning would size them by the path's RTT.
 */
export const RCVBUF_BYTES = 128_944;
export const SNDBUF_BYTES = 3_785_728;
