/**
 * `npm run bench`: the benchmark harness. The figures (time to first image, scroll rate,
 * prefetch throughput, memory, against the Orthanc/wadors peer path) arrive with the
 * benchmark issue; until then this says so rather than printing made-up numbers.
 */
console.log('No benchmarks are implemented yet: they arrive with the benchmark issue (time to first image, scroll rate, prefetch throughput, memory).')
