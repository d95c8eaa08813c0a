from utils.sample.build import main

main()
