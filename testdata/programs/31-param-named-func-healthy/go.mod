module example.com/param-named-func-healthy

go 1.19
