"""Replica articles, part A: the articles the seed page links to (its inline box, "Nên xem" and "Tin khác").

Titles and leads are the seed page's; the bodies are written for the replica.
Body mini-language (see content/__init__.py): blank-line separated blocks; "## " h2, "### " h3,
"- " list items, "> " quote, "!img name | caption", "!video URL", "!iframe URL", "!inline" (where the
inline related box goes); inside text "**bold**", "__italic__", "[[keyword]]" (a keyword link).
"""

ARTICLES_A = [
    dict(
        id=164520, cat="thoi-su/tin-moi", date="2023-11-15 10:12:00", author="Hà Anh", tpl="mastercms-2023",
        title="Đồng chí Đặng Thị Phương Hoa giữ chức Phó Chủ tịch Ủy ban MTTQ Việt Nam thành phố Hà Nội",
        sapo="(LĐTĐ) Sáng 15/11, Ủy ban Mặt trận Tổ quốc Việt Nam thành phố Hà Nội khóa XVII tổ chức Hội nghị hiệp thương cử bổ sung Phó Chủ tịch Ủy ban MTTQ Việt Nam Thành phố nhiệm kỳ 2019-2024.",
        tags=["Mặt trận Tổ quốc", "Hà Nội", "công tác cán bộ"],
        body="""
Tại Hội nghị, các đại biểu đã nghe công bố quyết định của Ban Thường vụ Thành ủy Hà Nội về việc giới thiệu nhân sự để hiệp thương cử giữ chức Phó Chủ tịch Ủy ban MTTQ Việt Nam thành phố Hà Nội.

Với sự đồng thuận cao, Hội nghị đã hiệp thương cử bổ sung đồng chí Đặng Thị Phương Hoa, Ủy viên Ban Chấp hành Đảng bộ thành phố, giữ chức Phó Chủ tịch Ủy ban MTTQ Việt Nam thành phố Hà Nội khóa XVII, nhiệm kỳ 2019-2024.

!img dang-thi-phuong-hoa | Lãnh đạo Ủy ban MTTQ Việt Nam thành phố Hà Nội tặng hoa chúc mừng đồng chí Đặng Thị Phương Hoa.

Phát biểu nhận nhiệm vụ, đồng chí Đặng Thị Phương Hoa cảm ơn sự tin tưởng của tập thể Ủy ban và hứa sẽ cùng Thường trực Ủy ban [[Mặt trận Tổ quốc]] Thành phố phát huy sức mạnh khối đại đoàn kết toàn dân tộc, thực hiện tốt vai trò giám sát và phản biện xã hội.

Đồng chí cũng cho biết sẽ tập trung làm tốt công tác tập hợp, đoàn kết các tầng lớp nhân dân, chăm lo đời sống người dân Thủ đô, nhất là các hộ nghèo, gia đình chính sách.
""",
    ),
    dict(
        id=164547, cat="bon-phuong", date="2023-11-15 17:40:00", author="Minh Khôi", tpl="mastercms-2023",
        title="Nhân sự chủ chốt tỉnh Đồng Nai thay đổi làm chậm tiến độ thu hồi đất sân bay Long Thành",
        sapo="(LĐTĐ) Việc thay đổi nhân sự chủ chốt ở một số địa phương đã khiến tiến độ thu hồi đất, giải phóng mặt bằng cho các dự án thành phần của Cảng hàng không quốc tế Long Thành bị chậm lại.",
        tags=["sân bay Long Thành", "Đồng Nai", "giải phóng mặt bằng"],
        author_pos="after",
        body="""
Theo báo cáo của Ủy ban nhân dân tỉnh Đồng Nai, đến nay địa phương đã bàn giao phần lớn diện tích đất cho chủ đầu tư các dự án thành phần của [[sân bay Long Thành]]. Tuy nhiên, vẫn còn một số diện tích chưa hoàn thành thu hồi do vướng mắc về hồ sơ pháp lý.

Nguyên nhân được chỉ ra là việc thay đổi nhân sự chủ chốt tại một số huyện, xã khiến công tác phối hợp bị gián đoạn. Nhiều hồ sơ bồi thường phải rà soát lại từ đầu, người dân chưa đồng thuận với phương án giá đất.

## Yêu cầu hoàn thành trong quý IV

Lãnh đạo tỉnh Đồng Nai yêu cầu các sở, ngành và địa phương khẩn trương hoàn thiện hồ sơ, tổ chức đối thoại với người dân, phấn đấu bàn giao toàn bộ mặt bằng trong quý IV năm nay.

Cảng hàng không quốc tế Long Thành là dự án trọng điểm quốc gia, giai đoạn 1 có công suất 25 triệu hành khách và 1,2 triệu tấn hàng hóa mỗi năm.
""",
    ),
    dict(
        id=184688, cat="kinh-te", date="2024-11-28 15:10:24", author="Thu Hằng", tpl="mastercms-2026",
        title="Từ 15 giờ hôm nay (28/11): Giá xăng lên sát 21.000 đồng một lít",
        sapo="(LĐTĐ) Từ 15 giờ hôm nay (28/11), giá xăng, dầu đồng loạt tăng, trong đó giá xăng E5 tăng gần 500 đồng/lít.",
        tags=["giá xăng", "xăng dầu", "điều hành giá"],
        inline="middle", lazy=True, jsonld=True, modified="2024-11-28 16:02:10",
        body="""
Chiều 28/11, liên Bộ Công Thương - Tài chính đã điều chỉnh giá bán lẻ xăng dầu trong nước. Theo đó, giá các mặt hàng xăng dầu đồng loạt tăng so với kỳ điều hành trước.

Cụ thể, giá bán lẻ các mặt hàng xăng dầu phổ biến trên thị trường như sau:

- Xăng E5 RON92 không cao hơn 20.426 đồng/lít, tăng 496 đồng/lít.
- Xăng RON95-III không cao hơn 20.986 đồng/lít, tăng 455 đồng/lít.
- Dầu diesel 0.05S không cao hơn 18.958 đồng/lít, tăng 315 đồng/lít.

!inline

Trong kỳ điều hành này, liên Bộ không trích lập và không chi sử dụng Quỹ bình ổn giá đối với các mặt hàng xăng dầu. Theo cơ quan điều hành, giá thành phẩm xăng dầu thế giới trong kỳ vừa qua biến động tăng do lo ngại nguồn cung.

!img gia-xang-tang | Người dân đổ xăng tại một cửa hàng trên địa bàn Hà Nội.

Đây là lần thứ hai liên tiếp [[giá xăng]] tăng kể từ đầu tháng 11. Các chuyên gia cho rằng giá nhiên liệu tăng sẽ tác động đến chi phí vận tải, nhưng mức tăng vẫn trong tầm kiểm soát.
""",
    ),
    dict(
        id=184690, cat="cong-dong", date="2024-11-28 11:25:00", author="Lan Hương", tpl="mastercms-2023",
        title="Đại hội thành lập Hội Người cao tuổi quận Tây Hồ",
        sapo="(LĐTĐ) Ngày 28/11, Ban Đại diện Hội Người cao tuổi quận Tây Hồ tổ chức Đại hội thành lập Hội Người cao tuổi quận Tây Hồ. Đây là sự kiện chính trị quan trọng đối với toàn thể cán bộ, hội viên Hội Người cao tuổi quận Tây Hồ, tạo động lực cho sự phát triển mới trong hoạt động và xây dựng các cấp Hội từ quận đến cơ sở.",
        tags=["người cao tuổi", "Tây Hồ"],
        body="""
Nhiệm kỳ qua, các cấp Hội Người cao tuổi quận Tây Hồ đã tích cực tham gia các phong trào thi đua, góp phần xây dựng đời sống văn hóa ở khu dân cư. Toàn quận hiện có hơn 27.000 người cao tuổi, trong đó trên 80% tham gia sinh hoạt Hội.

Phong trào "Tuổi cao gương sáng" được duy trì sâu rộng. Nhiều hội viên là tấm gương tiêu biểu trong phát triển kinh tế gia đình, khuyến học, khuyến tài và giữ gìn trật tự an toàn xã hội.

!img dai-hoi-nguoi-cao-tuoi-tay-ho | Các đại biểu biểu quyết thông qua danh sách Ban Chấp hành Hội nhiệm kỳ đầu tiên.

Đại hội đã bầu Ban Chấp hành Hội Người cao tuổi quận Tây Hồ nhiệm kỳ 2024-2029 gồm 21 đồng chí, đồng thời thông qua phương hướng, nhiệm vụ cho nhiệm kỳ mới.
""",
    ),
    dict(
        id=184693, cat="thoi-su/tin-moi", date="2024-11-28 18:20:00", author="Phương Anh", tpl="mastercms-2026",
        title="Đại biểu Hội đồng nhân dân Thành phố tiếp xúc cử tri tại quận Bắc Từ Liêm",
        sapo="(LĐTĐ) Ngày 28/11, Tổ đại biểu Hội đồng nhân dân (HĐND) thành phố Hà Nội ứng cử tại quận Bắc Từ Liêm đã có buổi tiếp xúc cử tri trước kỳ họp thứ 20 HĐND Thành phố khoá XVI nhiệm kỳ 2021 - 2026.",
        tags=["HĐND Thành phố", "tiếp xúc cử tri", "Bắc Từ Liêm"],
        inline=None, author_pos="after",
        body="""
Tại buổi tiếp xúc, đại diện Tổ đại biểu đã thông tin tới cử tri dự kiến nội dung, chương trình kỳ họp thứ 20 HĐND Thành phố, trong đó có nhiều nghị quyết quan trọng về kinh tế - xã hội và đầu tư công.

Cử tri quận Bắc Từ Liêm bày tỏ phấn khởi trước kết quả phát triển kinh tế - xã hội của Thành phố, đồng thời kiến nghị nhiều vấn đề liên quan đến hạ tầng giao thông, thoát nước, cấp nước sạch và xử lý rác thải.

### Kiến nghị về hạ tầng đô thị

Nhiều ý kiến đề nghị Thành phố sớm đầu tư hoàn thiện các tuyến đường đang thi công dở dang, tăng cường kiểm tra tình trạng vi phạm trật tự xây dựng trên địa bàn quận.

Thay mặt Tổ đại biểu, đại biểu HĐND Thành phố tiếp thu các ý kiến, kiến nghị của cử tri và cho biết sẽ tổng hợp, chuyển đến các cơ quan chức năng để giải quyết theo thẩm quyền.
""",
    ),
    dict(
        id=184662, cat="van-hoa/am-nhac", date="2024-11-27 21:05:00", author="Linh Chi", tpl="mastercms-2026",
        title="Hoàng Rob: “Khiêu vũ với tất cả nỗi sợ trong mình”",
        sapo="(LĐTĐ) Chiều 27/11, chương trình giao lưu trực tuyến mang tên “Nghệ sĩ Violin Hoàng Rob và hành trình theo đuổi đam mê âm nhạc” đã diễn ra tại Học viện Báo chí và Tuyên truyền. Chương trình đã để lại ấn tượng sâu sắc, nhất là khi các sinh viên Báo chí được trò chuyện và được truyền cảm hứng từ nghệ sĩ tài năng Hoàng Rob.",
        tags=["Hoàng Rob", "violin", "âm nhạc"],
        inline="top", lazy=True, jsonld=True,
        body="""
Trong buổi giao lưu, nghệ sĩ [[violin]] Hoàng Rob chia sẻ về những năm tháng tuổi thơ gắn bó với cây đàn và những lần đứng trước lựa chọn giữa sự nghiệp ổn định và con đường nghệ thuật nhiều thử thách.

> Tôi học cách khiêu vũ với tất cả nỗi sợ trong mình, thay vì để nỗi sợ điều khiển mình.

!video https://laodongthudo.vn/stores/news_dataimages/2024/112024/27/21/video/hoang-rob-giao-luu20241127210500.mp4

Anh cho rằng người trẻ không nên sợ thất bại. Mỗi lần vấp ngã là một lần được hiểu thêm về bản thân và biết mình thực sự muốn gì.

!img hoang-rob-giao-luu | Nghệ sĩ Hoàng Rob trò chuyện cùng sinh viên Học viện Báo chí và Tuyên truyền.

Kết thúc chương trình, Hoàng Rob biểu diễn một số tác phẩm quen thuộc, nhận được tràng pháo tay nồng nhiệt của các bạn sinh viên.
""",
    ),
    dict(
        id=184670, cat="bon-phuong", date="2024-11-28 08:45:00", author="Ngọc Lan", tpl="mastercms-2023",
        title="Thông xe cầu Rạch Đỉa",
        sapo="(LĐTĐ) Cầu Rạch Đỉa thông xe đưa vào sử dụng sẽ góp phần giảm ùn tắc giao thông, tạo động lực phát triển kinh tế - xã hội cho khu vực phía Nam Thành phố Hồ Chí Minh (TP.HCM).",
        tags=["TP.HCM", "giao thông", "cầu Rạch Đỉa"],
        jsonld=True,
        body="""
Sáng 28/11, Ban Quản lý dự án đầu tư xây dựng các công trình giao thông TP.HCM tổ chức lễ thông xe cầu Rạch Đỉa, nối huyện Nhà Bè với Quận 7.

Cầu Rạch Đỉa có chiều dài hơn 400m, rộng 15m với 4 làn xe, tổng mức đầu tư khoảng 600 tỷ đồng. Công trình được khởi công từ năm 2017 nhưng nhiều lần phải điều chỉnh tiến độ do vướng mặt bằng.

!img cau-rach-dia | Cầu Rạch Đỉa chính thức thông xe sáng 28/11.

Việc đưa cầu vào sử dụng giúp người dân khu vực phía Nam rút ngắn thời gian di chuyển vào trung tâm, giảm áp lực cho tuyến đường Lê Văn Lương vốn thường xuyên ùn tắc.
""",
    ),
    dict(
        id=184695, cat="the-thao", date="2024-11-28 20:30:00", author="Quốc Anh", tpl="mastercms-2026",
        title="Nhận định trận Tottenham vs Roma: Nạn nhân tiếp theo của đội chủ nhà",
        sapo="(LĐTĐ) Trận Tottenham vs Roma sẽ diễn ra lúc 03h00 ngày 29/11. Đây là trận đấu nhiều khả năng Tottenham sẽ dành chiến thắng khi chủ nhà đang đạt phong độ cao với chiến thắng 4-0 trước Man City ở Ngoại hạng Anh.",
        tags=["Tottenham", "Roma", "Europa League"],
        inline=None, author_pos="inside",
        body="""
Tottenham bước vào trận đấu với tâm lý rất thoải mái sau chiến thắng đậm 4-0 trên sân của Man City. Hàng công của đội bóng thành London đang thi đấu bùng nổ với sự tỏa sáng của Son Heung-min và James Maddison.

!iframe https://www.youtube.com/embed/tottenham-roma-preview

Trong khi đó, Roma đang gặp khủng hoảng. Đội bóng thủ đô nước Ý vừa thay huấn luyện viên và chỉ giành được một chiến thắng trong năm trận gần nhất trên mọi đấu trường.

## Đội hình dự kiến

Tottenham: Forster, Porro, Dragusin, Davies, Udogie, Bissouma, Sarr, Maddison, Kulusevski, Son, Solanke.

Roma: Svilar, Mancini, Hummels, Ndicka, Celik, Kone, Cristante, Angelino, Dybala, Pellegrini, Dovbyk.

**Dự đoán:** Tottenham thắng 2-1.
""",
    ),
    dict(
        id=184660, cat="van-hoa", date="2024-11-27 22:40:00", author="Thanh Hà", tpl="mastercms-2026",
        title="Ấn tượng chương trình cầu truyền hình “Đôi bờ ví, giặm”",
        sapo="(LĐTĐ) Tối 27/11, 2 tỉnh Nghệ An và Hà Tĩnh tổ chức chương trình cầu truyền hình “Đôi bờ ví, giặm” nhân dịp kỷ niệm 10 năm dân ca ví, giặm được UNESCO ghi danh là Di sản Văn hóa phi vật thể đại diện nhân loại.",
        tags=["dân ca ví, giặm", "Nghệ An", "Hà Tĩnh", "di sản"],
        inline="middle", lazy=True,
        body="""
Chương trình được tổ chức đồng thời tại hai điểm cầu Quảng trường Hồ Chí Minh (TP. Vinh, Nghệ An) và Quảng trường Trung tâm TP. Hà Tĩnh, thu hút hàng nghìn người dân đến theo dõi.

Với chủ đề “Đôi bờ ví, giặm”, chương trình gồm ba chương: “Mạch nguồn”, “Hồn quê” và “Vang xa”, tái hiện hành trình bảo tồn và phát huy giá trị [[dân ca ví, giặm]] trong đời sống đương đại.

!img doi-bo-vi-giam-1 | Các nghệ sĩ biểu diễn tại điểm cầu Nghệ An.

!inline

Sau 10 năm được UNESCO ghi danh, hai tỉnh đã thành lập hàng trăm câu lạc bộ dân ca, đưa ví, giặm vào trường học và các hoạt động du lịch cộng đồng.

!img doi-bo-vi-giam-2 | Màn trình diễn tại điểm cầu Hà Tĩnh.

Chương trình khép lại trong không khí xúc động với liên khúc ví, giặm do hàng trăm nghệ nhân, diễn viên của hai tỉnh cùng thể hiện.
""",
    ),
    dict(
        id=184650, cat="thoi-su", date="2024-11-27 16:20:00", author="Hương Giang", tpl="mastercms-2023",
        title="Tổ chức các phong trào thi đua chào mừng Đại hội Đảng bộ các cấp",
        sapo="(LĐTĐ) Ủy ban nhân dân (UBND) thành phố Hà Nội yêu cầu đẩy mạnh các phong trào thi đua yêu nước trên tất cả lĩnh vực kinh tế - xã hội, quốc phòng - an ninh, thi đua quyết tâm cao nhất hoàn thành vượt mức các chỉ tiêu, nhiệm vụ phát triển kinh tế - xã hội năm 2025 và kế hoạch 5 năm (2020-2025) theo Nghị quyết Đại hội Đảng bộ thành phố Hà Nội lần thứ XVII.",
        tags=["thi đua", "UBND thành phố Hà Nội", "Đại hội Đảng"],
        body="""
Theo kế hoạch, các phong trào thi đua được tổ chức từ nay đến khi kết thúc Đại hội Đảng bộ thành phố Hà Nội lần thứ XVIII, gắn với việc thực hiện các nhiệm vụ chính trị của từng cơ quan, đơn vị.

UBND Thành phố yêu cầu các sở, ngành, quận, huyện, thị xã lựa chọn những công trình, phần việc cụ thể để gắn biển chào mừng đại hội, bảo đảm thiết thực, tránh hình thức.

Công tác khen thưởng phải kịp thời, chính xác, chú trọng khen thưởng người lao động trực tiếp, tập thể nhỏ và các điển hình tiên tiến ở cơ sở.
""",
    ),
    dict(
        id=184612, cat="thoi-su", date="2024-11-25 19:00:00", author="Hoàng Lâm", tpl="mastercms-2026",
        title="Đích đến của Đề án 06 là người dân được hưởng thụ dịch vụ ở bất kỳ đâu, tạo công bằng xã hội",
        sapo="(LĐTĐ) Chủ tịch Ủy ban nhân dân (UBND) thành phố Hà Nội Trần Sỹ Thanh cho rằng, phải lượng hóa được giá trị mà người dân được hưởng là gì, đây là đích cuối cùng của công cuộc chuyển đổi số và Đề án 06 của Chính phủ. Người dân phải được thụ hưởng dịch vụ như nhau ở các địa bàn khác nhau, xóa dần khoảng cách giàu nghèo, tạo công bằng xã hội.",
        tags=["Đề án 06", "chuyển đổi số", "Trần Sỹ Thanh"],
        inline="top", jsonld=True, author_pos="after",
        body="""
Phát biểu tại hội nghị sơ kết hai năm triển khai [[Đề án 06]], Chủ tịch UBND Thành phố Trần Sỹ Thanh đánh giá Hà Nội đã đạt nhiều kết quả quan trọng trong phát triển ứng dụng dữ liệu dân cư, định danh và xác thực điện tử.

Tuy nhiên, theo Chủ tịch UBND Thành phố, việc chuyển đổi số không thể chỉ dừng ở các con số về hồ sơ trực tuyến, mà phải đo được người dân tiết kiệm bao nhiêu thời gian, chi phí khi sử dụng dịch vụ công.

## Dữ liệu phải "đúng, đủ, sạch, sống"

Thành phố yêu cầu các sở, ngành tiếp tục làm giàu cơ sở dữ liệu, bảo đảm dữ liệu "đúng, đủ, sạch, sống", kết nối thông suốt với cơ sở dữ liệu quốc gia về dân cư.

Người dân ở ngoại thành cũng phải được tiếp cận dịch vụ y tế, giáo dục, hành chính công với chất lượng như ở nội thành, đó là thước đo của công bằng xã hội trong chuyển đổi số.
""",
    ),
    dict(
        id=184571, cat="thoi-su/tin-moi", date="2024-11-21 18:30:00", author="Minh Phương", tpl="mastercms-2023",
        title="Hợp tác để tạo bước đột phá thực hiện Đề án 06 của thành phố Hà Nội",
        sapo="(LĐTĐ) Chiều 21/11, Trung tâm Phục vụ hành chính công thành phố Hà Nội tổ chức lễ ký kết biên bản phối hợp triển khai một số nhiệm vụ của Đề án 06 với Cục Cảnh sát quản lý hành chính về trật tự xã hội.",
        tags=["Đề án 06", "hành chính công"],
        author_pos="after",
        body="""
Theo biên bản ký kết, hai bên sẽ phối hợp triển khai các dịch vụ công liên thông, khai thác dữ liệu dân cư để giảm giấy tờ khi người dân thực hiện thủ tục hành chính.

Trung tâm Phục vụ hành chính công Thành phố sẽ bố trí khu vực hướng dẫn người dân kích hoạt tài khoản định danh điện tử mức độ 2, sử dụng ứng dụng VNeID để thực hiện thủ tục.

Đại diện Cục Cảnh sát quản lý hành chính về trật tự xã hội đánh giá Hà Nội là địa phương đi đầu, nhiều mô hình có thể nhân rộng ra cả nước.
""",
    ),
    dict(
        id=184598, cat="thoi-su", date="2024-11-23 10:15:00", author="Văn Hiếu", tpl="mastercms-2026",
        title="Hà Nội thống nhất chủ trương đầu tư 3 cây cầu lớn qua sông Hồng",
        sapo="(LĐTĐ) Lãnh đạo thành phố Hà Nội thống nhất chủ trương thực hiện 3 cây cầu lớn qua sông Hồng bằng nguồn vốn đầu tư công, gồm: Cầu Tứ Liên, cầu Trần Hưng Đạo và cầu Ngọc Hồi.",
        tags=["cầu qua sông Hồng", "đầu tư công", "giao thông"],
        inline="top", lazy=True,
        body="""
Theo kết luận của Ban Cán sự đảng UBND Thành phố, ba dự án cầu Tứ Liên, cầu Trần Hưng Đạo và cầu Ngọc Hồi sẽ được đầu tư bằng vốn đầu tư công thay vì hình thức đối tác công tư như đề xuất trước đây.

!img cau-tran-hung-dao | Phối cảnh cầu Trần Hưng Đạo bắc qua sông Hồng.

Cầu Trần Hưng Đạo nối quận Hoàn Kiếm với quận Long Biên, dài khoảng 5,4km. Cầu Tứ Liên nối quận Tây Hồ với huyện Đông Anh. Cầu Ngọc Hồi nối huyện Thanh Trì với huyện Gia Lâm.

Thành phố giao các sở, ngành khẩn trương hoàn thiện hồ sơ, trình HĐND Thành phố phê duyệt chủ trương đầu tư, phấn đấu khởi công trong năm 2025.
""",
    ),
    dict(
        id=184566, cat="thu-do-van-hien", date="2024-11-21 12:05:00", author="Bảo Ngọc", tpl="mastercms-2023",
        title="Hội nghị tổng kết các hoạt động kỷ niệm 70 năm Ngày Giải phóng Thủ đô",
        sapo="(LĐTĐ) Sáng 21/11, Thành ủy - HĐND - UBND - Ủy ban Mặt trận Tổ quốc Việt Nam thành phố Hà Nội tổ chức Hội nghị tổng kết các hoạt động kỷ niệm 70 năm Ngày Giải phóng Thủ đô (10/10/1954 - 10/10/2024).",
        tags=["70 năm Giải phóng Thủ đô", "Hà Nội"],
        jsonld=True,
        body="""
Báo cáo tại hội nghị cho biết, trong năm 2024, Thành phố đã tổ chức hơn 1.500 hoạt động kỷ niệm với nhiều hình thức phong phú, thu hút hàng triệu lượt người dân và du khách tham gia.

Điểm nhấn là chương trình nghệ thuật đặc biệt "Hà Nội - Hành trình 70 năm", ngày hội văn hóa "Hà Nội - Thành phố vì hòa bình" và hoạt động gắn biển các công trình chào mừng.

!img tong-ket-70-nam | Quang cảnh hội nghị tổng kết.

Thành phố đã biểu dương 50 tập thể và 70 cá nhân có thành tích xuất sắc trong tổ chức các hoạt động kỷ niệm.
""",
    ),
    dict(
        id=184589, cat="thoi-su", date="2024-11-22 17:50:00", author="Quang Minh", tpl="mastercms-2026",
        title="Xử lý dứt điểm vướng mắc để hoàn thành Công viên hồ Phùng Khoang trước Tết Nguyên đán",
        sapo="(LĐTĐ) Nhấn mạnh quan điểm của Thành phố trong việc xử lý dứt điểm các dự án chậm tiến độ, Chủ tịch Ủy ban nhân dân (UBND) thành phố Hà Nội Trần Sỹ Thanh cho biết, các dự án công viên rất quan trọng. Do đó, Chủ tịch UBND Thành phố yêu cầu xử lý dứt điểm các vướng mắc để hoàn thành Công viên hồ Phùng Khoang trước Tết Nguyên đán Ất Tỵ năm 2025.",
        tags=["Công viên hồ Phùng Khoang", "dự án chậm tiến độ"],
        inline=None,
        body="""
Dự án Công viên hồ Phùng Khoang có diện tích khoảng 8,7ha, được phê duyệt từ nhiều năm trước nhưng thi công kéo dài do vướng mắc giải phóng mặt bằng.

Tại buổi kiểm tra, Chủ tịch UBND Thành phố yêu cầu quận Nam Từ Liêm và chủ đầu tư tập trung nhân lực, máy móc, thi công "3 ca, 4 kíp" để hoàn thành các hạng mục chính.

Thành phố cũng yêu cầu rà soát toàn bộ các dự án công viên, vườn hoa chậm tiến độ, kiên quyết xử lý các chủ đầu tư thiếu năng lực.
""",
    ),
    dict(
        id=184605, cat="thoi-su/tin-moi", date="2024-11-24 09:40:00", author="Thảo Nguyên", tpl="mastercms-2026",
        title="Hà Nội công bố quyết định thành lập Ban Chỉ đạo về thực hiện các biện pháp phòng, chống lãng phí",
        sapo="(LĐTĐ) Ban Chỉ đạo về thực hiện các biện pháp phòng, chống lãng phí của Ủy ban nhân dân (UBND) thành phố Hà Nội do Chủ tịch UBND Thành phố Trần Sỹ Thanh làm Trưởng Ban Chỉ đạo. Hà Nội là địa phương đầu tiên trong cả nước thành lập Ban Chỉ đạo về thực hiện các nhiệm vụ này, thể hiện rõ hơn sự quyết liệt, đồng lòng, trách nhiệm của Thành phố.",
        tags=["phòng, chống lãng phí", "UBND thành phố Hà Nội"],
        inline="middle", author_pos="after",
        body="""
Ban Chỉ đạo có nhiệm vụ giúp UBND Thành phố chỉ đạo, đôn đốc việc thực hiện các biện pháp phòng, chống lãng phí trong quản lý, sử dụng ngân sách, đất đai, tài sản công.

!inline

Chủ tịch UBND Thành phố yêu cầu rà soát toàn bộ các dự án chậm tiến độ, các trụ sở, nhà đất công bỏ hoang, lập danh mục cụ thể và lộ trình xử lý.

Các thành viên Ban Chỉ đạo phải nêu cao trách nhiệm, báo cáo định kỳ hằng tháng kết quả thực hiện.
""",
    ),
    dict(
        id=184545, cat="thoi-su", date="2024-11-19 14:30:00", author="Đức Trung", tpl="mastercms-2023",
        title="Lãnh đạo thành phố Hà Nội sẽ đối thoại với nông dân trong tháng 12/2024",
        sapo="(LĐTĐ) Dự kiến trong tháng 12/2024, lãnh đạo thành phố Hà Nội sẽ đối thoại, tháo gỡ khó khăn cho nông dân với chủ đề: “Phát huy tiềm năng, lợi thế của Thủ đô hỗ trợ nông dân liên kết hợp tác, ứng dụng chuyển đổi số, phát triển nông nghiệp, kinh tế nông thôn bền vững”.",
        tags=["nông dân", "đối thoại", "nông nghiệp"],
        body="""
Hội Nông dân Thành phố cho biết, để chuẩn bị cho hội nghị, các cấp hội đã tổ chức lấy ý kiến hội viên, tổng hợp các kiến nghị về đất đai, vốn vay, tiêu thụ sản phẩm và chuyển đổi số trong nông nghiệp.

Dự kiến có khoảng 500 đại biểu là nông dân tiêu biểu, chủ trang trại, hợp tác xã tham dự hội nghị đối thoại.

Đây là lần thứ 5 lãnh đạo Thành phố tổ chức đối thoại trực tiếp với nông dân, góp phần tháo gỡ kịp thời các vướng mắc trong sản xuất.
""",
    ),
    dict(
        id=184530, cat="thoi-su", date="2024-11-17 20:10:00", author="Khánh Linh", tpl="mastercms-2026",
        title="Cơ sở pháp lý quan trọng để kịp thời triển khai thi hành Luật Thủ đô 2024",
        sapo="(LĐTĐ) Kỳ họp thứ 19 Hội đồng nhân dân (HĐND) Thành phố đã thông qua 15 Nghị quyết. HĐND Thành phố đề nghị, ngay sau kỳ họp, UBND Thành phố, các cấp, các ngành, các địa phương, đơn vị tập trung tổ chức triển khai khẩn trương, quyết liệt, đồng bộ các giải pháp để đảm bảo các nghị quyết của HĐND Thành phố đi vào cuộc sống và đạt hiệu quả thiết thực.",
        tags=["Luật Thủ đô", "HĐND Thành phố"],
        inline="top", jsonld=True,
        body="""
Các nghị quyết được thông qua tại kỳ họp tập trung vào những lĩnh vực mà [[Luật Thủ đô]] 2024 giao cho HĐND Thành phố quy định chi tiết, như phân cấp, ủy quyền, quản lý đô thị và thu hút nhân tài.

Chủ tịch HĐND Thành phố nhấn mạnh, đây là cơ sở pháp lý quan trọng để Luật Thủ đô sớm đi vào cuộc sống ngay từ ngày có hiệu lực 1/1/2025.

HĐND Thành phố đề nghị các cơ quan tăng cường tuyên truyền để người dân, doanh nghiệp hiểu rõ các chính sách mới và cùng giám sát việc thực hiện.
""",
    ),
    dict(
        id=184528, cat="thoi-su/tin-moi", date="2024-11-17 16:45:00", author="Khánh Linh", tpl="mastercms-2023",
        title="HĐND Thành phố thông qua quy định về ủy quyền giải quyết thủ tục hành chính",
        sapo="(LĐTĐ) Việc tiếp tục mở rộng ủy quyền của Chủ tịch UBND cấp xã cho công chức thuộc UBND cấp xã theo quy định tại khoản 4, khoản 6, điều 14, Luật Thủ đô là yêu cầu khách quan, cần thiết nhằm tăng cường hiệu lực, hiệu quả quản lý Nhà nước ở cơ sở; nâng cao trách nhiệm của công chức cấp xã.",
        tags=["Luật Thủ đô", "thủ tục hành chính", "ủy quyền"],
        body="""
Theo nghị quyết, Chủ tịch UBND cấp xã được ủy quyền cho công chức văn phòng - thống kê, tư pháp - hộ tịch giải quyết một số thủ tục hành chính thuộc thẩm quyền.

Việc ủy quyền phải bằng văn bản, nêu rõ phạm vi, nội dung, thời hạn ủy quyền; công chức được ủy quyền không được ủy quyền tiếp cho người khác.

Nghị quyết có hiệu lực từ ngày 1/1/2025, góp phần rút ngắn thời gian giải quyết hồ sơ cho người dân.
""",
    ),
]
