// Nothing: the harness only needs an extension worker to attach to.
