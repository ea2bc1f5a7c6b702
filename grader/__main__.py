from grader.prestart import main

main()
