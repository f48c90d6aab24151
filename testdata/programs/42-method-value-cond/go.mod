module example.com/method-value-cond

go 1.19
