// The floor of the type-check benchmark: no library at all, checked with the same compiler options
// as the three consumers. What a consumer costs above this is what its library costs.
export {};
